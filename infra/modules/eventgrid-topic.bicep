// Optional Event Grid topic for catalog change events (docs/events.md): CloudEvents schema, local auth off
// (Entra ID only), and the app's identity allowed to publish (EventGrid Data Sender).

@description('Name of the topic.')
param name string

param location string
param tags object

@description('Principal id of the Function App\'s managed identity.')
param principalId string

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

// EventGrid Data Sender
var dataSenderRole = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'd5a91429-5739-47e2-a06b-3470a27159e7')

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: topic
  name: guid(topic.id, principalId, dataSenderRole)
  properties: {
    roleDefinitionId: dataSenderRole
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The endpoint a subscription of kind eventgrid points at.')
output endpoint string = topic.properties.endpoint

// Optional: the catalog's tables in Cosmos DB for Table (serverless), with local (key) auth off and
// the app's identity given the built-in data contributor role through Table RBAC.

@description('Azure region of the resources.')
param location string

@description('Name of the Cosmos DB account (3–44 lowercase letters, digits and hyphens).')
@minLength(3)
@maxLength(44)
param accountName string

@description('Tables to create.')
param tableNames string[]

@description('Principal (object) id of the managed identity that gets data access.')
param principalId string

param tags object = {}

// Cosmos DB Built-in Data Contributor.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    capabilities: [
      { name: 'EnableTable' }
      { name: 'EnableServerless' }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
  }
}

resource tables 'Microsoft.DocumentDB/databaseAccounts/tables@2024-11-15' = [
  for name in tableNames: {
    parent: account
    name: name
    properties: {
      resource: {
        id: name
      }
    }
  }
]

resource dataRole 'Microsoft.DocumentDB/databaseAccounts/tableRoleAssignments@2024-12-01-preview' = {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/tableRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: account.id
  }
}

output accountName string = account.name
output tableEndpoint string = 'https://${account.name}.table.cosmos.azure.com:443/'

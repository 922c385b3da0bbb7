// The Function App on the Flex Consumption plan (Linux, .NET isolated 10). It runs as the
// user-assigned identity: the host's storage (AzureWebJobsStorage), the deployment package and
// the catalog's tables are all reached with that identity's tokens, never with account keys.

@description('Azure region of the resources.')
param location string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the Function App (its host name is <name>.azurewebsites.net).')
param functionAppName string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID, AzureWebJobsStorage__clientId).')
param identityClientId string

@description('Name of the storage account the Functions host uses (AzureWebJobsStorage).')
param hostStorageAccountName string

@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Table endpoint of the catalog (Table Storage or Cosmos DB for Table).')
param catalogTableServiceUri string

@description('Application Insights connection string (telemetry is sent with the identity; local auth is off).')
param applicationInsightsConnectionString string

@description('Settings of the app itself (Auth__*, Catalog__*, RateLimit__*, Maintenance__*), added to the platform ones. Secure: Catalog__PagingKey is among them.')
@secure()
param appSettings object

@description('Most instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Entra ID app registration for website sign-in via App Service authentication; empty: no built-in authentication.')
param webSignInClientId string = ''

@description('Issuer of the sign-in (the tenant\'s Entra ID v2 authority).')
param webSignInIssuer string = ''

@description('Audiences App Service accepts in bearer tokens it validates for the principal header.')
param webSignInAudiences string[] = []

param tags object = {}

param serviceTags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

var platformSettings = {
  AzureWebJobsStorage__accountName: hostStorageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  CatalogStorage__tableServiceUri: catalogTableServiceUri
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, serviceTags)
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    // App settings that are Key Vault references (e.g. the sign-in client secret) resolve with the app's identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        for setting in items(union(appSettings, platformSettings)): {
          name: setting.key
          value: string(setting.value)
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Website sign-in (ADR 0021): App Service authentication in front of the app. Anonymous requests still reach it
// (AllowAnonymous): the API answers them itself (API keys, other issuers), the pages send browsers to
// /.auth/login/aad. Where the platform runs it, it removes any client-sent X-MS-CLIENT-PRINCIPAL and sets its own;
// the Flex Consumption docs list it as not supported yet, so the app trusts the header only when main.bicep's
// trustWebSignInPrincipal says this app was checked (docs/deploy.md).
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(webSignInClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: { requireHttps: true }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: webSignInClientId
          openIdIssuer: webSignInIssuer
        }
        validation: { allowedAudiences: webSignInAudiences }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

// Basic-auth publishing (FTP, SCM with user name and password) off: deploy with Entra ID only.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output planId string = plan.id

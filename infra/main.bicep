// Component Catalog in Azure: a Function App on Flex Consumption (.NET isolated 10) that runs as a
// user-assigned managed identity, its storage account (host storage, deployment package, the
// catalog's tables) with shared-key access off, Application Insights on Log Analytics, and
// optionally the catalog's tables in Cosmos DB for Table. No account key appears anywhere.
//
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
//   azd up                      (azure.yaml at the repository root)

targetScope = 'resourceGroup'

@description('Short name of the environment (azd: AZURE_ENV_NAME); makes the resource names unique.')
@minLength(1)
@maxLength(20)
param environmentName string

@description('Azure region of every resource; the resource group\'s by default. Flex Consumption must be offered there.')
param location string = resourceGroup().location

@description('Tables of the catalog, created here (the app\'s create-if-missing at start is then a no-op). Must cover CatalogTables.Names.')
param tableNames string[] = [
  'Components'
  'Changes'
  'Jobs'
  'Reports'
  'ApiKeys'
  'Subscriptions'
  'Deliveries'
]

@description('Keep the catalog\'s tables in Cosmos DB for Table (serverless) instead of the storage account.')
param useCosmosTable bool = false

@description('JWT issuer (Auth__Issuer). Empty: Entra ID v2 tokens of this tenant.')
param authIssuer string = ''

@description('JWT audience (Auth__Audience): the Application ID URI or client id of the API\'s app registration.')
@minLength(1)
param authAudience string

@description('OpenID Connect metadata of the issuer (Auth__MetadataAddress). Empty: this tenant\'s Entra ID v2 metadata.')
param authMetadataAddress string = ''

@description('Website sign-in with Entra ID through App Service built-in authentication (ADR 0021): the client id of the app registration people sign in with (redirect URI https://<host>/.auth/login/aad/callback). Empty: off. Configures authsettingsV2 only; the app trusts the platform\'s principal header only with trustWebSignInPrincipal as well.')
param webSignInClientId string = ''

@description('Trust X-MS-CLIENT-PRINCIPAL (Auth__TrustAppServiceAuthentication) — only with webSignInClientId, and only after docs/deploy.md "Check website sign-in" passed on this app: the Flex Consumption plan documentation lists built-in authentication (EasyAuth) as not supported (unauthenticated callers are not blocked), so a client-sent principal header may reach the app unchecked (ADR 0021).')
param trustWebSignInPrincipal bool = false

@description('Website sign-in by the app itself (ADR 0021; WebSignIn__*): the client id of the app registration browsers sign in with — best the API\'s own registration, so its app roles and teams claim apply — with the Web redirect URI https://<host>/signin/callback. Empty: off.')
param appSignInClientId string = ''

@description('That registration\'s client secret (WebSignIn__ClientSecret): the value, or a Key Vault reference @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>) that the app\'s identity may read (Key Vault Secrets User).')
@secure()
param appSignInClientSecret string = ''

@description('Key that encrypts the website\'s session cookie (WebSignIn__CookieKey), at least 32 characters, or a Key Vault reference. Default: new per deployment, so browsers sign in again after each deployment; set it to keep sessions.')
@secure()
param appSignInCookieKey string = '${newGuid()}${newGuid()}'

@description('The cookie key before the last rotation (WebSignIn__PreviousCookieKey): its cookies are still read until they expire. Empty: none.')
@secure()
param appSignInPreviousCookieKey string = ''

@description('The redirect URI registered for the app\'s sign-in (WebSignIn__RedirectUri). Empty: https://<function app name>.azurewebsites.net/signin/callback; set it for a custom domain.')
param appSignInRedirectUri string = ''

@description('Requests per principal (or client IP) per minute, per instance (RateLimit__PermitsPerMinute).')
@minValue(1)
param rateLimitPermitsPerMinute int = 600

@description('Proxies in front of the app that append to X-Forwarded-For (RateLimit__TrustedProxyHops); the Functions front end is one.')
@minValue(0)
@maxValue(10)
param rateLimitTrustedProxyHops int = 1

@description('Largest document body in bytes (Catalog__MaxBodyBytes).')
@minValue(1024)
@maxValue(16777216)
param maxBodyBytes int = 524288

@description('Largest request body in bytes, the /import body: the Functions host refuses larger bodies before the app runs (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, bytes; host default 104857600), and the app uses it as Catalog__MaxRequestBytes and Catalog__MaxImportBytes.')
@minValue(1048576)
@maxValue(104857600)
param maxRequestBytes int = 67108864

@description('Days after which a document not reviewed or updated is stale (Catalog__StaleAfterDays).')
@minValue(1)
@maxValue(3650)
param staleAfterDays int = 180

@description('Days soft-deleted documents are kept (Catalog__DeletedRetentionDays).')
@minValue(1)
@maxValue(3650)
param deletedRetentionDays int = 30

@description('NCRONTAB schedules of the maintenance timers (Maintenance__<Job>Schedule); every timer function needs its setting.')
param maintenanceSchedules object = {
  StaleSweep: '0 0 2 * * *'
  DanglingCheck: '0 15 * * * *'
  Purge: '0 30 3 * * *'
  QualitySnapshot: '0 0 4 * * *'
  ReconcileIndex: '0 */30 * * * *'
  DeliverEvents: '*/2 * * * * *'
}

@description('Create an Event Grid topic the catalog can publish change events to (a subscription of kind eventgrid; docs/events.md).')
param createEventGridTopic bool = false

@description('Key that signs continuation tokens (Catalog__PagingKey), the same on every instance. Default: a new random value per deployment, so tokens issued before a deployment stop working after it.')
@secure()
param pagingKey string = newGuid()

@description('Most instances the Flex Consumption plan scales out to.')
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

@description('Application Insights accepts only Entra ID-authenticated telemetry (no instrumentation-key ingestion). The worker\'s exporter must then send with the app\'s identity (see docs/deploy.md).')
param telemetryEntraIdOnly bool = true

@description('Tags put on every resource.')
param tags object = {}

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var allTags = union(tags, { 'azd-env-name': environmentName })
var functionAppName = 'func-catalog-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'

var tenantAuthority = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
var issuer = empty(authIssuer) ? tenantAuthority : authIssuer
var metadataAddress = empty(authMetadataAddress) ? '${tenantAuthority}/.well-known/openid-configuration' : authMetadataAddress

// The app's own settings (Auth__*, RateLimit__*, Catalog__*, Maintenance__*); the module adds the platform ones.
var appSettings = {
  Auth__Issuer: issuer
  Auth__Audience: authAudience
  Auth__MetadataAddress: metadataAddress
  RateLimit__PermitsPerMinute: string(rateLimitPermitsPerMinute)
  RateLimit__TrustedProxyHops: string(rateLimitTrustedProxyHops)
  Catalog__MaxBodyBytes: string(maxBodyBytes)
  Catalog__MaxRequestBytes: string(maxRequestBytes)
  Catalog__MaxImportBytes: string(maxRequestBytes)
  FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(maxRequestBytes)
  Catalog__StaleAfterDays: string(staleAfterDays)
  Catalog__DeletedRetentionDays: string(deletedRetentionDays)
  Catalog__PagingKey: pagingKey
  Auth__TrustAppServiceAuthentication: string(!empty(webSignInClientId) && trustWebSignInPrincipal)
}

// The app's own OIDC sign-in, only when appSignInClientId is set: the authority is this tenant's Entra ID v2.
var signInRedirectUri = empty(appSignInRedirectUri) ? 'https://${functionAppName}.azurewebsites.net/signin/callback' : appSignInRedirectUri
var appSignInSettings = empty(appSignInClientId) ? {} : {
  WebSignIn__Authority: tenantAuthority
  WebSignIn__ClientId: appSignInClientId
  WebSignIn__ClientSecret: appSignInClientSecret
  WebSignIn__CookieKey: appSignInCookieKey
  WebSignIn__PreviousCookieKey: appSignInPreviousCookieKey
  WebSignIn__RedirectUri: signInRedirectUri
}

var maintenanceSettings = toObject(items(maintenanceSchedules), s => 'Maintenance__${s.key}Schedule', s => s.value)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-catalog-${resourceToken}'
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: allTags
    logAnalyticsName: 'log-catalog-${resourceToken}'
    applicationInsightsName: 'appi-catalog-${resourceToken}'
    publisherPrincipalId: identity.properties.principalId
    disableLocalAuth: telemetryEntraIdOnly
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: allTags
    storageAccountName: 'stcatalog${take(resourceToken, 15)}'
    deploymentContainerName: deploymentContainerName
    tableNames: useCosmosTable ? [] : tableNames
    principalId: identity.properties.principalId
  }
}

module cosmos 'modules/cosmos-table.bicep' = if (useCosmosTable) {
  name: 'cosmos-table'
  params: {
    location: location
    tags: allTags
    accountName: 'cosmos-catalog-${resourceToken}'
    tableNames: tableNames
    principalId: identity.properties.principalId
  }
}

module eventGridTopic 'modules/eventgrid-topic.bicep' = if (createEventGridTopic) {
  name: 'eventgrid-topic'
  params: {
    name: 'evgt-catalog-${resourceToken}'
    location: location
    tags: allTags
    principalId: identity.properties.principalId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    tags: allTags
    serviceTags: { 'azd-service-name': 'api' }
    planName: 'plan-catalog-${resourceToken}'
    functionAppName: functionAppName
    identityId: identity.id
    identityClientId: identity.properties.clientId
    hostStorageAccountName: storage.outputs.storageAccountName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    catalogTableServiceUri: useCosmosTable ? cosmos!.outputs.tableEndpoint : storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    webSignInClientId: webSignInClientId
    webSignInIssuer: issuer
    webSignInAudiences: [authAudience, webSignInClientId]
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: union(maintenanceSettings, appSettings, appSignInSettings)
  }
}

@description('Base URL of the API.')
output apiBaseUrl string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Endpoint of the change-events topic (empty unless createEventGridTopic).')
output eventGridTopicEndpoint string = createEventGridTopic ? eventGridTopic!.outputs.endpoint : ''

@description('Redirect URI to register for the app\'s own sign-in (empty unless appSignInClientId).')
output appSignInRedirectUri string = empty(appSignInClientId) ? '' : signInRedirectUri

@description('Name of the Function App.')
output functionAppName string = functionApp.outputs.name

@description('Client id of the app\'s managed identity.')
output identityClientId string = identity.properties.clientId

@description('Storage account of the host (and of the tables unless useCosmosTable).')
output storageAccountName string = storage.outputs.storageAccountName

@description('Table endpoint the catalog uses.')
output catalogTableServiceUri string = useCosmosTable ? cosmos!.outputs.tableEndpoint : storage.outputs.tableEndpoint

@description('Application Insights component.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId

// Parameters for infra/main.bicep. Values come from the environment where they vary per deployment
// (azd sets AZURE_ENV_NAME and AZURE_LOCATION; export the others or set them with `azd env set`).
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'catalog')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')

// The API's app registration in Entra ID: its Application ID URI (or client id).
param authAudience = readEnvironmentVariable('AUTH_AUDIENCE', 'api://component-catalog')
// Empty: Entra ID v2 tokens of the deployment's tenant (issuer and metadata derived in main.bicep).
param authIssuer = readEnvironmentVariable('AUTH_ISSUER', '')
param authMetadataAddress = readEnvironmentVariable('AUTH_METADATA_ADDRESS', '')
// Website sign-in by the app itself (docs/deploy.md): empty client id = off. The secret from the environment (or a
// Key Vault reference string); the cookie key defaults to a new one per deployment unless APP_SIGNIN_COOKIE_KEY is set.
param appSignInClientId = readEnvironmentVariable('APP_SIGNIN_CLIENT_ID', '')
param appSignInClientSecret = readEnvironmentVariable('APP_SIGNIN_CLIENT_SECRET', '')

param tableNames = [
  'Components'
  'Changes'
  'Jobs'
  'Reports'
  'ApiKeys'
  'Subscriptions'
  'Deliveries'
]
param useCosmosTable = bool(readEnvironmentVariable('USE_COSMOS_TABLE', 'false'))

param rateLimitPermitsPerMinute = 600
param rateLimitTrustedProxyHops = 1
param maxBodyBytes = 524288
param maxRequestBytes = 67108864
param staleAfterDays = 180
param deletedRetentionDays = 30

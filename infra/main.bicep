// Onboarding backend on Azure Functions Flex Consumption: the function app and everything it talks to,
// wired with managed identity only (no keys, no connection strings with secrets).
// Deploy with `azd up`, or `az deployment group create -g <group> -f infra/main.bicep -p ...` (docs/deploy.md).
targetScope = 'resourceGroup'

@description('Name of the environment (e.g. dev, prod). Seeds the unique resource names and the azd-env-name tag.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of all resources; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = resourceGroup().location

@description('Token issuer, exactly as in the tokens\' iss claim (e.g. https://clerk.example.com or https://login.microsoftonline.com/<tenant>/v2.0). Becomes Auth__Authority.')
@minLength(1)
param authAuthority string

@description('Expected token audience (aud); empty skips the audience check (Clerk tokens carry none). Becomes Auth__Audience.')
param authAudience string = ''

@description('Comma-separated accepted authorized parties (azp), e.g. your frontend origins for Clerk; empty skips the azp check. Become Auth__AuthorizedParties__0..n.')
param authAuthorizedParties string = ''

@description('Comma-separated browser origins allowed to call the API (CORS), e.g. https://app.example.com; empty allows none.')
param corsAllowedOrigins string = ''

@description('Name of the table that holds the onboarding state.')
@minLength(3)
@maxLength(63)
param tableName string = 'onboarding'

@description('Maximum number of instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days the Log Analytics workspace keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days a deleted API key stays recoverable in Key Vault.')
@minValue(7)
@maxValue(90)
param secretSoftDeleteRetentionInDays int = 90

@description('Optional object id of a user (an operator) to grant Storage Table Data Contributor and Key Vault Secrets Officer; empty grants nobody.')
param principalId string = ''

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-api-${resourceToken}'
var deploymentContainerName = 'app-package'
var authorizedParties = filter(map(split(authAuthorizedParties, ','), party => trim(party)), party => !empty(party))
var corsOrigins = filter(map(split(corsAllowedOrigins, ','), origin => trim(origin)), origin => !empty(origin))

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableName: tableName
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    softDeleteRetentionInDays: secretSoftDeleteRetentionInDays
  }
}

module api 'modules/function-app.bicep' = {
  name: 'api'
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    deploymentStorageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    corsAllowedOrigins: corsOrigins
    authorizedParties: authorizedParties
    // Every setting the app reads. Names use "__" for the ':' of .NET configuration sections.
    appSettings: {
      // Functions host storage through the app's identity.
      AzureWebJobsStorage__accountName: storage.outputs.name
      AzureWebJobsStorage__credential: 'managedidentity'
      // Application Insights with Microsoft Entra ID auth.
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
      AZURE_FUNCTIONS_ENVIRONMENT: 'Production'
      // Onboarding.Core options.
      Storage__TableServiceUri: storage.outputs.tableEndpoint
      Storage__TableName: tableName
      Storage__CreateTableIfNotExists: 'false'
      Secrets__VaultUri: keyVault.outputs.uri
      Auth__Authority: authAuthority
      Auth__Audience: authAudience
    }
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: api.outputs.principalId
    userPrincipalId: principalId
  }
}

@description('Name of the function app.')
output AZURE_FUNCTION_NAME string = api.outputs.name

@description('Base URL of the function app; the API is under /api.')
output SERVICE_API_URI string = api.outputs.url

@description('Name of the storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Table service endpoint of the onboarding table.')
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint

@description('Name of the Key Vault.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('URI of the Key Vault.')
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri

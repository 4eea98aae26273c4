// The Flex Consumption (FC1) plan and the function app, with a system-assigned identity that every
// dependency (host storage, deployment container, table, Key Vault, Application Insights) trusts.

@description('Name of the function app (globally unique; also its default host name).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('azd service name from azure.yaml; azd finds the app by this tag.')
param serviceName string

@description('Blob endpoint of the storage account that holds the deployment container, with a trailing slash.')
param deploymentStorageBlobEndpoint string

@description('Blob container the platform deploys the app package from.')
param deploymentContainerName string

@description('Maximum number of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Browser origins allowed to call the API (CORS); empty allows none.')
param corsAllowedOrigins string[]

@description('App settings (environment variables) of the app, name to value.')
param appSettings object

@description('Accepted token azp values; each becomes an indexed Auth__AuthorizedParties__{i} app setting.')
param authorizedParties string[]

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
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

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentStorageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
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

  // .NET configuration binds Auth__AuthorizedParties__0, __1, ... to the AuthOptions.AuthorizedParties list.
  resource settings 'config' = {
    name: 'appsettings'
    properties: union(
      appSettings,
      toObject(range(0, length(authorizedParties)), i => 'Auth__AuthorizedParties__${i}', i => authorizedParties[i])
    )
  }

  // Deployments authenticate with Microsoft Entra ID; FTP and SCM basic-auth publishing are refused.
  resource ftpPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = functionApp.name
output principalId string = functionApp.identity.principalId
output url string = 'https://${functionApp.properties.defaultHostName}'

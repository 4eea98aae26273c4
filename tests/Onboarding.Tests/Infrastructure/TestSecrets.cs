using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Tests.Infrastructure;

/// <summary>
/// The local secret store over the shared Azurite with the test key: it reads what either host wrote (the Functions
/// worker is another process, so its own store cannot be asked).
/// </summary>
public static class TestSecrets
{
    public static LocalSecretStore LocalStore(AzuriteFixture azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var options = Microsoft.Extensions.Options.Options.Create(new SecretsOptions { LocalEncryptionKey = ApiHosts.LocalEncryptionKey });
        return new LocalSecretStore(azurite.Tables, options, new HostingEnvironment { EnvironmentName = Environments.Development });
    }
}

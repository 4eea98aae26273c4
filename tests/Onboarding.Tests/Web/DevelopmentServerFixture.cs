using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Web;

/// <summary>
/// A Server in the Development environment with no Auth settings, as <c>dotnet run --project src/Server</c> runs it:
/// its own token issuer (<c>POST /dev/token</c>), the demo wizard and the API reference — over the shared Azurite.
/// </summary>
public sealed class DevelopmentServerFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
        => Server = await ApiServer.StartAsync(azurite, issuer: null, new Dictionary<string, string?>
        {
            ["Auth:Audience"] = null,
            ["Auth:AuthorizedParties:0"] = null,
        }, environment: "Development");

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

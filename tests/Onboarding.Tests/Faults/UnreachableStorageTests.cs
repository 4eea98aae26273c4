using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Faults;

/// <summary>
/// A host whose storage account does not answer at all (a closed loopback port), with Core's own storage client and
/// retry settings: requests get a 503 with Retry-After once Core's bounded retries give up, never a 500 and never a hang
/// (StorageFaultTests counts those attempts).
/// </summary>
public abstract partial class UnreachableStorageTests(AzuriteFixture azurite, ApiHostKind kind)
{
    [Fact]
    public async Task Every_route_answers_503_when_storage_is_unreachable()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var unreachable = PortPattern().Replace(azurite.ConnectionString, $"127.0.0.1:{ClosedPort()}/");
        await using var server = await ApiHosts.StartAsync(kind, azurite, issuer, new Dictionary<string, string?> { ["Storage:ConnectionString"] = unreachable });
        using var anonymous = server.Client();
        HttpClient NewUser() => server.WithToken(issuer.Mint(ApiFixture.NewSubject("outage")));

        // Distinct users, so the requests do not queue behind one user's write lock and run side by side.
        Func<Task<HttpResponseMessage>>[] requests =
        [
            () => NewUser().GetAsync("api/onboarding/init"),
            () => NewUser().PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1),
            () => NewUser().PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = StepData.OpenAiKey }),
            () => NewUser().DeleteAsync("api/me"),
            () => anonymous.GetAsync("api/health/ready"),
        ];
        var responses = await Task.WhenAll(requests.Select(r => r()));
        foreach (var response in responses)
        {
            await StorageFaultTests.ExpectUnavailableAsync(response);
        }

        await (await anonymous.GetAsync("api/health")).ExpectAsync(HttpStatusCode.OK);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"127\.0\.0\.1:\d+/")]
    private static partial Regex PortPattern();
}

public sealed class UnreachableStorageTestsOnServer(AzuriteFixture azurite) : UnreachableStorageTests(azurite, ApiHostKind.Server);

public sealed class UnreachableStorageTestsOnFunctions(AzuriteFixture azurite) : UnreachableStorageTests(azurite, ApiHostKind.Functions);

using System.Net.Http.Headers;
using Onboarding.FunctionsHost;

namespace Onboarding.Tests.Infrastructure;

/// <summary>
/// The compiled Functions app (src/Functions, built with the tests) as its own worker process behind the test host
/// (tests/Onboarding.FunctionsHost), on loopback, over the shared Azurite and a loopback issuer. The app settings are
/// the same as the Server's; they reach the worker as environment variables, as on Azure.
/// </summary>
public sealed class FunctionsApiHost : IApiHost
{
    private readonly FunctionsTestHost _host;

    private FunctionsApiHost(FunctionsTestHost host) => _host = host;

    public ApiHostKind Kind => ApiHostKind.Functions;

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>The HTTP functions the worker reported, as the host routes them.</summary>
    public IReadOnlyList<HttpFunction> Functions => _host.Functions;

    /// <summary>The size of each invocation's return value as the worker sent it to the test host.</summary>
    public IReadOnlyList<int> ReturnValueSizes => _host.ReturnValueSizes;

    /// <summary>Completes once the worker has sent <paramref name="count"/> invocation responses, in all.</summary>
    public Task InvocationResponsesReachedAsync(int count) => _host.InvocationResponsesReachedAsync(count);

    /// <summary>The worker's last lines of output, for a failing test's message.</summary>
    public string WorkerOutput => _host.WorkerOutput;

    /// <summary>The worker's log entries of Warning and above, as the test host received them.</summary>
    public IReadOnlyList<string> WorkerLog => _host.WorkerLog;

    public static async Task<FunctionsApiHost> StartAsync(
        AzuriteFixture azurite,
        TestIssuer? issuer,
        IDictionary<string, string?>? settings = null,
        string environment = "Testing")
    {
        var options = new FunctionsTestHostOptions { Environment = environment };
        foreach (var (key, value) in ApiHosts.Settings(azurite, issuer, settings))
        {
            options.AppSettings[key] = value;
        }

        return new FunctionsApiHost(await FunctionsTestHost.StartAsync(options));
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    public HttpClient WithToken(string token)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

using System.Net;
using Onboarding.Tests.Infrastructure;
using Onboarding.Tests.Telemetry.Otlp;
using Xunit;

namespace Onboarding.Tests.Telemetry;

/// <summary>
/// Each host traces a request with its outgoing calls in one trace (the issuer's keys over HttpClient, Table Storage
/// through the Azure SDK), and ships telemetry to OTLP or Azure Monitor only when those are configured. The evidence is
/// what reaches a loopback receiver, so the out-of-process Functions worker is checked the same way as the Server.
/// </summary>
public sealed class TracingTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task A_request_is_one_trace_with_its_key_fetch_and_storage_calls(ApiHostKind kind)
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();

        // The host fetches the issuer's keys as it starts; with the issuer down then, the request fetches them itself.
        var bringUp = issuer.TakeDown();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, OtlpTo(sink));
        await issuer.MetadataRequestsReachedAsync(1).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        bringUp();
        using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        using var response = await client.GetAsync("api/onboarding/init");
        await response.ExpectAsync(HttpStatusCode.OK);
        var traceId = Convert.FromHexString(Assert.Single(response.Headers.GetValues("X-Correlation-Id")));

        List<(string Scope, Span Span)> Trace(TelemetrySink received) =>
            [.. received.Spans().Where(s => s.Span.TraceId.Span.SequenceEqual(traceId))];
        // The worker's ASP.NET Core integration routes by the function's template, which has no leading slash.
        static bool IsRequest((string Scope, Span Span) s) =>
            s.Scope == "Microsoft.AspNetCore" && Attribute(s.Span, "http.route")?.TrimStart('/') == "api/onboarding/init";
        bool IsKeyFetch((string Scope, Span Span) s) => s.Scope == "System.Net.Http" && Attribute(s.Span, "url.full")?.StartsWith(issuer.Authority, StringComparison.Ordinal) == true;
        static bool IsQuery((string Scope, Span Span) s) => s.Scope == "Azure.Data.Tables.TableClient" && s.Span.Name == "TableClient.Query";
        await sink.WaitForAsync(
            received => Trace(received) is var trace && trace.Any(IsRequest) && trace.Any(IsKeyFetch) && trace.Any(IsQuery),
            $"The {kind} request span, its key fetch and its storage query");

        // The issuer runs in this process, so with the Server its side of the key fetch shows up in the same trace.
        Assert.Single(Trace(sink), IsRequest);
    }

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task Traces_go_to_the_OTLP_endpoint_when_one_is_configured(ApiHostKind kind)
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);

        await sink.WaitForAsync(received => received.Requests.Contains("POST /v1/traces"), $"The {kind} host's trace export");
    }

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task Telemetry_goes_to_Azure_Monitor_when_a_connection_string_is_configured(ApiHostKind kind)
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={sink.BaseAddress.AbsoluteUri}",
        });
        using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);

        await sink.WaitForAsync(received => received.Requests.Contains("POST /v2.1/track"), $"The {kind} host's Azure Monitor export");
    }

    private static Dictionary<string, string?> OtlpTo(TelemetrySink sink) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseAddress.AbsoluteUri.TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        // The batch exporter's delay between exports (ms): short, so the spans arrive while the host runs.
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
    };

    private static string? Attribute(Span span, string key) => span.Attributes.FirstOrDefault(a => a.Key == key)?.Value?.StringValue;
}

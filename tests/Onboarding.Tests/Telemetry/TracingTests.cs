using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Telemetry;

/// <summary>
/// The Server traces each request with its outgoing calls in one trace (the issuer's keys over HttpClient, Table Storage
/// through the Azure SDK), and ships traces to OTLP or Azure Monitor only when those are configured.
/// </summary>
public sealed class TracingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_request_is_one_trace_with_its_key_fetch_and_storage_calls()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var collector = new ActivityCollector();
        await using var server = await ApiServer.StartAsync(azurite, issuer,
            configure: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(collector)));
        using var client = server.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        using var response = await client.GetAsync("api/onboarding/init");
        await response.ExpectAsync(HttpStatusCode.OK);
        var traceId = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        await WaitForAsync(() => collector.Activities.Any(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId.ToHexString() == traceId));

        var trace = collector.Activities.Where(a => a.TraceId.ToHexString() == traceId).ToList();
        // The issuer runs in this process too, so its side of the key fetch shows up in the same trace.
        Assert.Single(trace, a => a.Source.Name == "Microsoft.AspNetCore" && a.GetTagItem("http.route") as string == "/api/onboarding/init");
        Assert.Contains(trace, a => a.Source.Name == "System.Net.Http" && a.GetTagItem("url.full")?.ToString()?.StartsWith(issuer.Authority, StringComparison.Ordinal) == true);
        Assert.Contains(trace, a => a.Source.Name == "Azure.Data.Tables.TableClient" && a.DisplayName == "TableClient.Query");
    }

    [Fact]
    public async Task Traces_go_to_the_OTLP_endpoint_when_one_is_configured()
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using (var client = server.WithToken(issuer.Mint(ApiFixture.NewSubject())))
        {
            await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        }

        // Stopping the Server flushes its exporters.
        await server.DisposeAsync();

        Assert.Contains("POST /v1/traces", sink.Requests);
    }

    [Fact]
    public async Task Telemetry_goes_to_Azure_Monitor_when_a_connection_string_is_configured()
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={sink.BaseAddress.AbsoluteUri}",
        });
        using (var client = server.WithToken(issuer.Mint(ApiFixture.NewSubject())))
        {
            await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        }

        await server.DisposeAsync();

        Assert.Contains("POST /v2.1/track", sink.Requests);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "The activity was not collected within 2.5 s.");
    }
}

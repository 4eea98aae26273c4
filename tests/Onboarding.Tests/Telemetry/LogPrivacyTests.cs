using System.Collections;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Onboarding.Tests.Infrastructure;
using Onboarding.Tests.Security;
using Xunit;

namespace Onboarding.Tests.Telemetry;

/// <summary>
/// With every log category at Trace, each host runs a whole wizard with provider keys, refused tokens, validation errors
/// and erasure (the Server also storage failures with compensation and the failed-authentication limit). No log
/// message, structured value, scope or exception text contains a bearer token (or its payload or signature), an API
/// key, or a step's payload.
/// </summary>
/// <remarks>
/// The Server's evidence is its in-process log capture: every record with its category, level, structured values and
/// scopes, with a record count that shows the capture saw everything; its storage failures are injected into its own
/// Table client (<see cref="StorageProbe"/>). The Functions worker is a separate process, so its evidence is the log
/// records it exports over OTLP, read as raw bytes; the storage failures and the failed-authentication limit stay with
/// the Server's test (the worker's storage faults come from the fault proxy in front of Azurite, and the limit is the
/// Server's own middleware).
/// </remarks>
public sealed class LogPrivacyTests(AzuriteFixture azurite)
{
    private const string OpenAiKey = "sk-canaryOpenAi0123456789abcdefXYZ";
    private const string ReplacementOpenAiKey = "sk-canaryReplaced0123456789abcdefQRS";
    private const string GeminiKey = "AIzaCanaryGemini0123456789abcdefghijklm";
    private const string TavilyKey = "tvly-canaryTavily0123456789ab";
    private const string AnthropicKey = "sk-ant-canaryAnthropic0123456789abcd";
    private const string MalformedKey = "sk-canary-malformed key with spaces";

    private static readonly string[] Payloads =
    [
        "canary-website-7f3a.example", "canary-tone-1c9e", "canary-research-5d2b", "canary-draft-8a41",
        "canary-persona-3e77", "canary-platform-92fd", "canary-integration-0b6c", "canary-invalid-json-44aa",
        "canary-invalid-url-6e10",
    ];

    /// <summary>Every category the hosts log under at Trace, and a failed-authentication budget the test can exhaust.</summary>
    private static readonly Dictionary<string, string?> TraceLogging = new()
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:System"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        ["Logging:LogLevel:Azure"] = "Trace",
        ["Logging:LogLevel:Azure.Core"] = "Trace",
        ["RateLimit:FailedAuthenticationsPerMinute"] = "12",
    };

    [Fact]
    public async Task Tokens_api_keys_and_step_payloads_never_reach_any_log()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        var storage = new StorageProbe();
        var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>(TraceLogging), builder =>
        {
            storage.Install(azurite.ConnectionString)(builder);
            builder.Logging.AddFakeLogging();

            // Trace output on the console would only slow the run; every other provider stays as the Server has it.
            foreach (var console in builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType?.Name == "ConsoleLoggerProvider").ToList())
            {
                builder.Services.Remove(console);
            }
        });

        var secrets = new List<string> { OpenAiKey, ReplacementOpenAiKey, GeminiKey, TavilyKey, AnthropicKey, MalformedKey };
        secrets.AddRange(Payloads);
        IReadOnlyList<FakeLogRecord> records;
        await using (server)
        {
            var token = issuer.Mint(ApiFixture.NewSubject("private"));
            AddToken(secrets, token);
            using var client = server.WithToken(token);
            await RunWizardAsync(client);
            await RunMisplacedTokenAsync(server, token);
            await RunFailuresAsync(client, storage);
            await (await client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
            await RunRefusedTokensAsync(server, issuer, other, secrets, overTheBudget: true);
            records = server.Services.GetFakeLogCollector().GetSnapshot();
        }

        // The capture saw the Server at Trace level, the refusals and failures included, so silence below means something.
        Assert.True(records.Count > 100, $"Only {records.Count} log records were captured.");
        Assert.Contains(records, r => r.Category?.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) == true && r.Level == LogLevel.Trace);
        Assert.Contains(records, r => r.Message.StartsWith("Bearer token rejected", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.StartsWith("Stored the openai API key", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.StartsWith("Undid the write of secret", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.Contains("unavailable; answering 503", StringComparison.Ordinal));

        var leaks = (from record in records
                     from text in Texts(record)
                     from secret in secrets
                     where text.Contains(secret, StringComparison.Ordinal)
                     select $"[{record.Level} {record.Category}] '{Shorten(secret)}' in: {Shorten(text)}").Distinct().ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks:\n" + string.Join("\n", leaks.Take(20)));
    }

    /// <summary>
    /// The same wizard, misplaced and refused tokens on the Functions worker with every category at Trace, read from the
    /// logs the worker exports over OTLP (below Warning, its only way out). Protobuf carries strings as UTF-8 bytes, so a
    /// secret in any message, attribute or scope would be in the raw bodies. Not here: the storage failures (injected into
    /// the Server's own Table client) and the failed-authentication limit (the Server's own middleware).
    /// </summary>
    [Fact]
    public async Task Tokens_api_keys_and_step_payloads_never_reach_the_workers_exported_logs()
    {
        // Found by this test: the worker's ASP.NET Core request logs carried the token a caller put in the URL's query
        // string (api/onboarding/init?access_token=...), which the Server already kept out of its logs.
        await using var sink = await TelemetrySink.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        var settings = new Dictionary<string, string?>(TraceLogging)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // The batch log exporter's delay between exports (ms): short, so the records arrive while the worker runs.
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        };
        await using var host = await FunctionsApiHost.StartAsync(azurite, issuer, settings);

        var secrets = new List<string> { OpenAiKey, ReplacementOpenAiKey, GeminiKey, MalformedKey };
        secrets.AddRange(Payloads);
        var token = issuer.Mint(ApiFixture.NewSubject("private"));
        AddToken(secrets, token);
        using (var client = host.WithToken(token))
        {
            await RunWizardAsync(client);
            await RunMisplacedTokenAsync(host, token);
            await (await client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
        }

        await RunRefusedTokensAsync(host, issuer, other, secrets, overTheBudget: false);

        // The batch exporter sends records in the order they were logged: once the last request's are in, all are.
        using (var anonymous = host.Client())
        {
            await (await anonymous.GetAsync("api/health")).ExpectAsync(HttpStatusCode.OK);
        }

        await sink.WaitForAsync(received => Contains(received.LogBodies, "/api/health"), "The worker's log records of its last request");

        // The export saw the worker at Trace level, the refusals included, so silence below means something.
        Assert.True(Contains(sink.LogBodies, "Bearer token rejected"), "No refused token was logged.");
        Assert.True(Contains(sink.LogBodies, "API key as secret"), "No stored API key was logged.");
        var leaks = secrets.Distinct().Select(secret => Around(sink.LogBodies, secret)).OfType<string>().ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks:\n" + string.Join("\n", leaks.Take(20)));
    }

    /// <summary>The exported text around the secret's first occurrence, the secret itself left out, or null if absent.</summary>
    private static string? Around(IEnumerable<byte[]> bodies, string secret)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(secret);
        foreach (var body in bodies)
        {
            var at = body.AsSpan().IndexOf(bytes);
            if (at >= 0)
            {
                var before = System.Text.Encoding.UTF8.GetString(body, Math.Max(0, at - 120), Math.Min(120, at));
                var after = System.Text.Encoding.UTF8.GetString(body, at + bytes.Length, Math.Min(60, body.Length - at - bytes.Length));
                return $"'{secret[..Math.Min(8, secret.Length)]}...' in: {before}<secret>{after}";
            }
        }

        return null;
    }

    private static bool Contains(IEnumerable<byte[]> bodies, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return bodies.Any(body => body.AsSpan().IndexOf(bytes) >= 0);
    }

    private static async Task RunWizardAsync(HttpClient client)
    {
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai = OpenAiKey } } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey, description = "drafts" })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = ReplacementOpenAiKey })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = MalformedKey })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await client.PutAsync("api/onboarding/step/2", Infrastructure.Http.Json("{\"website\": \"canary-invalid-json-44aa"))).ExpectAsync(HttpStatusCode.BadRequest);
        await (await client.PutJsonAsync("api/onboarding/step/2", new { website = "canary-invalid-url-6e10" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("api/onboarding/step/2/complete", new { data = new { website = "https://canary-website-7f3a.example", analysis = new { tone = "canary-tone-1c9e" } } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/3", new { researchSummary = "canary-draft-8a41" })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync("api/onboarding/complete", null)).ExpectAsync(HttpStatusCode.Conflict);
        await (await client.PostJsonAsync("api/onboarding/step/3/complete", new { data = new { researchSummary = "canary-research-5d2b" } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/4/complete", new { data = new { corePersona = new { identity = "canary-persona-3e77" }, platformPersonas = new { x = new { tone = "canary-platform-92fd" } } } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/5", new { integrations = new { wordpress = "canary-integration-0b6c" } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync("api/onboarding/step/5/skip", null)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync("api/onboarding/complete", null)).ExpectAsync(HttpStatusCode.OK);
        foreach (var path in new[] { "api/onboarding/init", "api/onboarding/summary", "api/onboarding/step/1", "api/onboarding/api-keys", "api/me/export" })
        {
            await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        }

        await (await client.DeleteAsync("api/onboarding/api-keys/gemini")).ExpectAsync(HttpStatusCode.NoContent);
    }

    /// <summary>A valid token in the URL and in a cookie: refused, and the URL (which the host logs) must not carry it into a log.</summary>
    private static async Task RunMisplacedTokenAsync(IApiHost server, string token)
    {
        using var anonymous = server.Client();
        await TokenAttackTests.ExpectUnauthorizedAsync(await anonymous.GetAsync("api/onboarding/init?access_token=" + token));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboarding/init");
        request.Headers.Add("Cookie", "__session=" + token);
        await TokenAttackTests.ExpectUnauthorizedAsync(await anonymous.SendAsync(request));
    }

    private static async Task RunFailuresAsync(HttpClient client, StorageProbe storage)
    {
        // The index write fails after the secret was written: the secret is deleted again (and that is logged).
        storage.Fail(StorageProbe.IsTransaction, StorageFault.ServiceUnavailable);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "tavily", api_key = TavilyKey })).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        storage.Fail(StorageProbe.IsSecretWrite, StorageFault.ConnectionFailure);
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { anthropic = AnthropicKey } } })).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        storage.Fail(StorageProbe.IsOnboardingQuery, StorageFault.InternalError);
        await (await client.GetAsync("api/me/export")).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        storage.Heal();
    }

    private static async Task RunRefusedTokensAsync(IApiHost server, TestIssuer issuer, TestIssuer other, List<string> secrets, bool overTheBudget)
    {
        using var tokens = new ForgedTokens(issuer, other, new Uri("http://127.0.0.1:9/jwks.json"));
        string[] refused =
        [
            tokens.SignedByAttacker(tokens.RsaKid),
            tokens.SignedByIssuer(c => c["aud"] = "another-api"),
            tokens.SignedByIssuer(c => { c["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(); c["nbf"] = c["iat"]; c["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(); }),
            tokens.SignedByIssuer(c => c["azp"] = "https://attacker.example"),
            TokenAttacks.All["alg none, no signature"](tokens),
            TokenAttacks.All["HS256 keyed with the public key PEM"](tokens),
            TokenAttacks.All["jku header to the attacker's JWKS, own kid"](tokens),
            other.Mint(ApiFixture.NewSubject("other-issuer")),
            "not-a-jwt-canary-garbage-token",
        ];

        foreach (var token in refused)
        {
            AddToken(secrets, token);
            using var client = server.WithToken(token);
            await TokenAttackTests.ExpectUnauthorizedAsync(await client.GetAsync("api/onboarding/init"));
        }

        if (!overTheBudget)
        {
            return;
        }

        // Over the failed-authentication budget: the next attempt is refused without being looked at.
        var last = issuer.Mint(ApiFixture.NewSubject("limited"), d => d.Audience = "another-api");
        AddToken(secrets, last);
        HttpStatusCode status;
        var attempts = 0;
        do
        {
            using var client = server.WithToken(last);
            status = (await client.GetAsync("api/onboarding/init")).StatusCode;
        }
        while (status == HttpStatusCode.Unauthorized && ++attempts < 20);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
    }

    /// <summary>The whole token, and its payload and signature on their own (a log of either part leaks it as well).</summary>
    private static void AddToken(List<string> secrets, string token)
    {
        secrets.Add(token);
        var parts = token.Split('.');
        secrets.AddRange(parts.Skip(1).Where(p => p.Length >= 16));
    }

    /// <summary>Every text a log sink could write for the record: message, category, structured values, scopes, exception.</summary>
    private static IEnumerable<string> Texts(FakeLogRecord record)
    {
        yield return record.Message;
        yield return record.Category ?? string.Empty;
        if (record.Exception is { } exception)
        {
            yield return exception.ToString();
        }

        foreach (var (key, value) in record.StructuredState ?? [])
        {
            yield return key;
            if (value is not null)
            {
                yield return value;
            }
        }

        foreach (var scope in record.Scopes)
        {
            if (scope is IEnumerable pairs and not string)
            {
                foreach (var pair in pairs)
                {
                    yield return pair?.ToString() ?? string.Empty;
                }
            }

            yield return scope?.ToString() ?? string.Empty;
        }
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}

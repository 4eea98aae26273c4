using System.Diagnostics;
using System.Text;
using Onboarding.FunctionsHost;
using Onboarding.Server.Azurite;
using Onboarding.Testing;

namespace Onboarding.ColdStart;

internal sealed record ColdStartSettings(
    int Rounds, int TracedRounds, string? FunctionsDirectory, string? EmptyDirectory, IReadOnlyList<string> WorkerEnvironment, FileInfo? Output);

/// <summary>
/// What one start of one app took, in milliseconds from the moment the test host was asked to start it: until the
/// host had the worker's functions loaded and its HTTP endpoint accepting (ready), until the first request was
/// answered, and (Functions app) until the first write was answered; then one more request once warm, for scale.
/// </summary>
internal sealed record StartResult(string App, bool Traced, double Ready, double First, double? Write, double Warm, Timeline.Events? Events);

/// <summary>
/// One bounded run: Azurite and a loopback issuer once, then each app started cold behind the Functions test host in
/// alternating order, round after round, each start a new worker process with a new user. Untraced rounds give the
/// figures; traced rounds load the startup hook into the worker and give the breakdown.
/// </summary>
internal static class ColdStartRun
{
    /// <summary>Development-only key for the local secret store (never a real secret).</summary>
    private const string LocalEncryptionKey = "Y29sZC1zdGFydC1vbmx5LWtleS1sb2NhbC1zZWNyZXQ=";

    public static async Task<int> RunAsync(ColdStartSettings settings, CancellationToken cancellationToken)
    {
        // However the starts go, the run ends by itself: at most two minutes a start, plus setup.
        var starts = 2 * (settings.Rounds + settings.TracedRounds + 1);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(2 * starts + 2));
        var ct = bounded.Token;

        var apps = new[] { WorkerApp.Functions(settings.FunctionsDirectory), WorkerApp.Empty(settings.EmptyDirectory) };
        var loadBefore = MachineLoad.Now();
        Console.WriteLine($"Machine: {MachineLoad.Describe()}; {loadBefore}");
        await using var azurite = await AzuriteProcess.StartAsync(cancellationToken: ct);
        await using var issuer = await TestIssuer.StartAsync();

        // The table exists before any start, as in a deployment (infra/ creates it): the app's own creation call still
        // runs, and "--worker-env Storage__CreateTableIfNotExists=false" can measure a start without it.
        await new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient("onboarding").CreateIfNotExistsAsync(ct);

        var results = new List<StartResult>();
        var timelineDirectory = Directory.CreateTempSubdirectory("onboarding-coldstart-");
        {
            // One unrecorded start of each, so the harness's own code (test host, client) is jitted before anything counts.
            Console.WriteLine("Warm-up: one unrecorded start of each app ...");
            foreach (var app in apps)
            {
                await StartOnceAsync(app, traced: null, settings, azurite.ConnectionString, issuer, ct);
            }

            for (var round = 0; round < settings.Rounds + settings.TracedRounds; round++)
            {
                var traced = round >= settings.Rounds;
                // Alternate which app goes first, so drift in the machine's speed hits both.
                var order = round % 2 == 0 ? apps : [apps[1], apps[0]];
                foreach (var app in order)
                {
                    var file = traced ? Path.Combine(timelineDirectory.FullName, $"{round}-{(app.IsBaseline ? "empty" : "functions")}.tsv") : null;
                    var result = await StartOnceAsync(app, file, settings, azurite.ConnectionString, issuer, ct);
                    Console.WriteLine($"Round {round + 1}{(traced ? " (traced)" : "")}: {app.Name}: ready {result.Ready:F0} ms, first answer {result.First:F0} ms" +
                        (result.Write is { } w ? $", first write {w:F0} ms" : "") + $", warm {result.Warm:F1} ms");
                    results.Add(result);
                }
            }
        }

        // Kept when a start failed, for its timeline.
        timelineDirectory.Delete(recursive: true);

        var report = new StringBuilder();
        ColdStartReport.Write(report, settings, results, loadBefore, MachineLoad.Now());
        Console.WriteLine();
        Console.WriteLine(report);
        if (settings.Output is { } output)
        {
            await File.WriteAllTextAsync(output.FullName, report.ToString(), ct);
            Console.WriteLine($"Report written to {output.FullName}");
        }

        return 0;
    }

    private static async Task<StartResult> StartOnceAsync(
        WorkerApp app, string? traced, ColdStartSettings settings, string storage, TestIssuer issuer, CancellationToken ct)
    {
        var options = new FunctionsTestHostOptions { WorkerDirectory = app.Directory, WorkerAssembly = app.Assembly, Environment = "Development" };
        options.AppSettings["Storage:ConnectionString"] = storage;
        options.AppSettings["Auth:Authority"] = issuer.Authority;
        options.AppSettings["Auth:Audience"] = TestIssuer.DefaultAudience;
        options.AppSettings["Auth:AuthorizedParties:0"] = TestIssuer.DefaultAuthorizedParty;
        options.AppSettings["Secrets:LocalEncryptionKey"] = LocalEncryptionKey;
        foreach (var setting in settings.WorkerEnvironment)
        {
            var at = setting.IndexOf('=', StringComparison.Ordinal);
            options.AppSettings[setting[..at]] = setting[(at + 1)..];
        }

        if (traced is not null)
        {
            options.AppSettings["DOTNET_STARTUP_HOOKS"] = WorkerApp.Attribute("StartupTimelineAssembly");
            options.AppSettings["ONBOARDING_STARTUP_TIMELINE"] = traced;
        }

        var user = "cold-" + Guid.NewGuid().ToString("N")[..12];
        var token = issuer.Mint(user, t => t.Claims["email"] = user + "@cold.example");

        var launched = Stopwatch.GetTimestamp();
        await using var host = await FunctionsTestHost.StartAsync(options, ct);
        var ready = Stopwatch.GetElapsedTime(launched);
        if (!System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(host.BaseAddress.Host)))
        {
            throw new InvalidOperationException("The cold-start harness only ever targets loopback.");
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, UseProxy = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var sent = Stopwatch.GetTimestamp();
        await SendAsync(http, app.FirstRequest(token), ct);
        var first = Stopwatch.GetElapsedTime(launched);
        TimeSpan? write = null;
        if (app.FirstWrite(token) is { } writeRequest)
        {
            await SendAsync(http, writeRequest, ct);
            write = Stopwatch.GetElapsedTime(launched);
        }

        var warmStarted = Stopwatch.GetTimestamp();
        await SendAsync(http, app.FirstRequest(token), ct);
        var warm = Stopwatch.GetElapsedTime(warmStarted);

        var events = traced is null ? null : Timeline.Read(traced, launched, sent);
        return new StartResult(app.Name, traced is not null, ready.TotalMilliseconds, first.TotalMilliseconds, write?.TotalMilliseconds, warm.TotalMilliseconds, events);
    }

    private static async Task SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}");
            }
        }
    }
}

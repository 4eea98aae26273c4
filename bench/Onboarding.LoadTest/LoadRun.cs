using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Onboarding.Core.Identity;
using Onboarding.Server;
using Onboarding.Server.Azurite;

namespace Onboarding.LoadTest;

internal sealed record LoadSettings(
    int Users,
    TimeSpan Duration,
    int Rounds,
    TimeSpan Warmup,
    TimeSpan Soak,
    TimeSpan SoakSettle,
    TimeSpan SampleEvery,
    int StepDataBytes,
    int AllocationIterations,
    long MaxRequests,
    FileInfo? Output,
    LoadHost Host = LoadHost.Server);

/// <summary>Which host serves the endpoints: the Server in this process, or the compiled Functions app behind the test host.</summary>
internal enum LoadHost
{
    Server,
    Functions,
}

/// <summary>
/// One bounded run: start Azurite and the Server on loopback, prepare the users, warm up, measure endpoints and raw SDK
/// calls in alternating rounds, soak while sampling the working set, and report.
/// </summary>
internal static class LoadRun
{
    /// <summary>Development-only key for the local secret store the Server uses here (never a real secret).</summary>
    private const string LocalEncryptionKey = "bG9hZC10ZXN0LW9ubHkta2V5LWxvY2FsLXNlY3JldHM=";
    private const string OpenAiKey = "sk-load0123456789abcdefghijklmnop";

    public static async Task<int> RunAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        // However the phases go, the run ends by itself: its own time limits plus a margin for setup and teardown.
        var limit = settings.Warmup * 2 + settings.Duration * 2 + settings.SoakSettle + settings.Soak + TimeSpan.FromMinutes(5);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        var ct = bounded.Token;

        if (settings.Host == LoadHost.Server && HostRuntime.Mismatch() is { } mismatch)
        {
            await Console.Error.WriteLineAsync($"Not measuring: {mismatch}");
            return 2;
        }

        var report = new StringBuilder();
        var loadBefore = MachineInfo.LoadAverage();
        Console.WriteLine($"Machine: {MachineInfo.Describe()}; load average {loadBefore}");

        await using var azurite = await AzuriteProcess.StartAsync(cancellationToken: ct);
        await using var target = settings.Host == LoadHost.Server
            ? await LoadTarget.StartServerAsync(azurite.ConnectionString, ct)
            : await LoadTarget.StartFunctionsAsync(azurite.ConnectionString, ct);
        var address = target.BaseAddress;
        if (!IPAddress.IsLoopback(IPAddress.Parse(address.Host)))
        {
            throw new InvalidOperationException("The load harness only ever targets loopback.");
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Users * 2, UseCookies = false, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var table = target.Tables.GetTableClient("onboarding");

        var run = Guid.NewGuid().ToString("N")[..8];
        var tokenLifetime = limit + TimeSpan.FromMinutes(5);
        VirtualUser User(string kind, int i)
        {
            var subject = $"load-{run}-{kind}-{i}";
            return new VirtualUser(subject, target.Mint(subject, tokenLifetime), CurrentUser.DeriveUserKey(target.Authority, subject));
        }

        var apiUsers = Enumerable.Range(0, settings.Users).Select(i => User("api", i)).ToArray();
        var rawUsers = Enumerable.Range(0, settings.Users).Select(i => User("raw", i)).ToArray();
        var stepData = StepPayload.Create(settings.StepDataBytes);
        Console.WriteLine($"Preparing {apiUsers.Length + rawUsers.Length} users (steps 1 and 2 completed) ...");
        await Task.WhenAll(apiUsers.Concat(rawUsers).Select(u => PrepareAsync(http, u, stepData, ct)));

        var endpoints = new EndpointWorkload(http, apiUsers, stepData, target.Hops);
        var raw = new RawTableWorkload(table, rawUsers, stepData);
        var hopOnly = new HopWorkload(http, settings.Users, target.Hops[0].Path);
        var budget = new RequestBudget(settings.MaxRequests);

        (double[] Endpoint, double[] Raw)? allocations = null;
        if (settings.AllocationIterations > 0)
        {
            Console.WriteLine($"Allocations: each operation {settings.AllocationIterations} times in a row by one user, each side ...");
            allocations = (await AllocationProbe.MeasureAsync(endpoints, settings.AllocationIterations, ct), await AllocationProbe.MeasureAsync(raw, settings.AllocationIterations, ct));
        }

        if (settings.Warmup > TimeSpan.Zero)
        {
            Console.WriteLine($"Warm-up: {settings.Warmup.TotalSeconds:F0} s each side ...");
            await LoadPhase.RunAsync(endpoints, settings.Warmup, budget, ct);
            await LoadPhase.RunAsync(raw, settings.Warmup, budget, ct);
        }

        var endpointResult = new PhaseResult(endpoints.Operations, endpoints.Hops);
        var rawResult = new PhaseResult(raw.Operations);
        var hopResult = new PhaseResult(hopOnly.Operations);
        var roundRatios = new List<RoundRatio>();
        var round = settings.Duration / settings.Rounds;
        for (var r = 1; r <= settings.Rounds; r++)
        {
            Console.WriteLine($"Round {r}/{settings.Rounds}: {round.TotalSeconds:F1} s endpoints, {round.TotalSeconds:F1} s raw SDK, {round.TotalSeconds / 4:F1} s hop alone, {settings.Users} concurrent each ...");
            var endpointRound = await LoadPhase.RunAsync(endpoints, round, budget, ct);
            var rawRound = await LoadPhase.RunAsync(raw, round, budget, ct);
            hopResult.Add(await LoadPhase.RunAsync(hopOnly, round / 4, budget, ct));
            roundRatios.Add(RoundRatio.Of(endpointRound, rawRound));
            endpointResult.Add(endpointRound);
            rawResult.Add(rawRound);
        }

        var loadAfterMeasure = MachineInfo.LoadAverage();
        List<MemorySample>? soakSamples = null;
        PhaseResult? soakResult = null;
        if (settings.Soak > TimeSpan.Zero)
        {
            if (settings.SoakSettle > TimeSpan.Zero)
            {
                Console.WriteLine($"Soak settle: {settings.SoakSettle.TotalSeconds:F0} s of endpoint load before the first sample ...");
                await LoadPhase.RunAsync(endpoints, settings.SoakSettle, budget, ct);
            }

            Console.WriteLine($"Soak: {settings.Soak.TotalSeconds:F0} s of endpoint load, working set sampled every {settings.SampleEvery.TotalSeconds:F0} s ...");
            (soakResult, soakSamples) = await SoakAsync(endpoints, settings, budget, ct);
        }

        var loadAfter = MachineInfo.LoadAverage();
        Report.Write(report, settings, endpointResult, rawResult, hopResult, roundRatios, allocations, soakResult, soakSamples, budget.Used, loadBefore, loadAfterMeasure, loadAfter);
        Console.WriteLine();
        Console.WriteLine(report);
        if (settings.Output is { } file)
        {
            await File.WriteAllTextAsync(file.FullName, report.ToString(), ct);
            Console.WriteLine($"Report written to {file.FullName}");
        }

        return endpointResult.Errors + rawResult.Errors + (soakResult?.Errors ?? 0) == 0 ? 0 : 1;
    }

    private static async Task PrepareAsync(HttpClient http, VirtualUser user, string stepData, CancellationToken ct)
    {
        async Task SendAsync(HttpMethod method, string path, string? body)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Preparing {user.Subject}: {method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }

        await SendAsync(HttpMethod.Get, "api/onboarding/init", null);
        await SendAsync(HttpMethod.Post, "api/onboarding/step/1/complete", "{\"data\":{\"api_keys\":{\"openai\":\"" + OpenAiKey + "\"}}}");
        await SendAsync(HttpMethod.Post, "api/onboarding/step/2/complete", "{\"data\":" + stepData + "}");
    }

    private static async Task<(PhaseResult, List<MemorySample>)> SoakAsync(IWorkload workload, LoadSettings settings, RequestBudget budget, CancellationToken ct)
    {
        var samples = new List<MemorySample> { MemorySample.Take(TimeSpan.Zero) };
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(settings.SampleEvery);
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                lock (samples)
                {
                    samples.Add(MemorySample.Take(clock.Elapsed));
                }
            }
        }, CancellationToken.None);

        var result = await LoadPhase.RunAsync(workload, settings.Soak, budget, ct);
        await stop.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
            // The sampler stops with the soak.
        }

        lock (samples)
        {
            if (clock.Elapsed - samples[^1].At > TimeSpan.FromSeconds(1))
            {
                samples.Add(MemorySample.Take(clock.Elapsed));
            }

            return (result, samples.ToList());
        }
    }
}

/// <summary>
/// The process's working set at one moment of the soak, with what explains it: the managed heap in use, the memory the
/// GC has committed for it, the heap left by the last gen 2 collection (what survives; a leak shows here first), and
/// the thread count.
/// </summary>
internal sealed record MemorySample(TimeSpan At, long WorkingSet, long ManagedHeap, long GcCommitted, long HeapAfterGen2, int Threads, int Gen2Collections)
{
    public static MemorySample Take(TimeSpan at)
    {
        using var process = Process.GetCurrentProcess();
        var lastGen2 = Math.Max(GC.GetGCMemoryInfo(GCKind.Background).HeapSizeBytes, GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes);
        return new MemorySample(
            at, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false), GC.GetGCMemoryInfo().TotalCommittedBytes, lastGen2,
            process.Threads.Count, GC.CollectionCount(2));
    }

    public static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using Onboarding.LoadTest;

var users = new Option<int>("--users") { Description = "Concurrent virtual users, each with its own partition (and as many raw SDK loops).", DefaultValueFactory = _ => 64 };
var duration = new Option<int>("--duration") { Description = "Seconds of measured load for each side (endpoints, raw SDK), alternated over --rounds.", DefaultValueFactory = _ => 20 };
var rounds = new Option<int>("--rounds") { Description = "How many alternating endpoint/raw rounds --duration is split into.", DefaultValueFactory = _ => 2 };
var warmup = new Option<int>("--warmup") { Description = "Seconds of unrecorded load for each side before measuring.", DefaultValueFactory = _ => 5 };
var soak = new Option<int>("--soak") { Description = "Seconds of endpoint load while the working set is sampled; 0 skips the soak.", DefaultValueFactory = _ => 30 };
var soakSettle = new Option<int>("--soak-settle") { Description = "Seconds of endpoint load before the soak's first sample, so start-up growth (JIT, pools, heap sizing) is not counted as drift.", DefaultValueFactory = _ => 10 };
var sampleEvery = new Option<int>("--sample-every") { Description = "Seconds between working-set samples during the soak.", DefaultValueFactory = _ => 5 };
var stepDataBytes = new Option<int>("--step-data-bytes") { Description = "Size of the step data each save and completion sends.", DefaultValueFactory = _ => 2048 };
var allocations = new Option<int>("--allocations") { Description = "Sequential runs of each operation by one user, after as many unmeasured ones, to measure bytes allocated per operation; 0 skips it.", DefaultValueFactory = _ => 200 };
var maxRequests = new Option<long>("--max-requests") { Description = "Hard cap on requests for the whole run (the run also stops at its time limits).", DefaultValueFactory = _ => 5_000_000 };
var host = new Option<LoadHost>("--host") { Description = "Server: the Server in this process. Functions: the compiled Functions worker (Release build) behind the Functions test host.", DefaultValueFactory = _ => LoadHost.Server };
var output = new Option<FileInfo?>("--output") { Description = "Also write the report (Markdown) to this file." };

Bound(users, 1, 512);
Bound(duration, 1, 3600);
Bound(rounds, 1, 20);
Bound(warmup, 0, 600);
Bound(soak, 0, 3600);
Bound(soakSettle, 0, 600);
Bound(sampleEvery, 1, 600);
Bound(stepDataBytes, 128, 300_000);
Bound(allocations, 0, 100_000);
maxRequests.Validators.Add(r =>
{
    if (r.GetValue(maxRequests) is < 1 or > 100_000_000)
    {
        r.AddError("--max-requests must be between 1 and 100000000.");
    }
});

var root = new RootCommand(
    "Drives the onboarding API (in-process Server over its own Azurite, loopback only) with concurrent users and, in the same run, " +
    "the raw Azure.Data.Tables calls the endpoints make; prints latency percentiles, throughput and their ratios, then soaks and samples the working set.");
foreach (var option in new Option[] { users, duration, rounds, warmup, soak, soakSettle, sampleEvery, stepDataBytes, allocations, maxRequests, host, output })
{
    root.Options.Add(option);
}

root.SetAction((parse, cancellationToken) => LoadRun.RunAsync(
    new LoadSettings(
        parse.GetValue(users),
        TimeSpan.FromSeconds(parse.GetValue(duration)),
        parse.GetValue(rounds),
        TimeSpan.FromSeconds(parse.GetValue(warmup)),
        TimeSpan.FromSeconds(parse.GetValue(soak)),
        TimeSpan.FromSeconds(parse.GetValue(soakSettle)),
        TimeSpan.FromSeconds(parse.GetValue(sampleEvery)),
        parse.GetValue(stepDataBytes),
        parse.GetValue(allocations),
        parse.GetValue(maxRequests),
        parse.GetValue(output),
        parse.GetValue(host)),
    cancellationToken));

return await root.Parse(args).InvokeAsync();

static void Bound(Option<int> option, int min, int max) => option.Validators.Add(r =>
{
    if (r.GetValue(option) < min || r.GetValue(option) > max)
    {
        r.AddError($"{option.Name} must be between {min} and {max}.");
    }
});

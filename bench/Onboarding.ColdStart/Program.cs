using System.CommandLine;
using Onboarding.ColdStart;

var rounds = new Option<int>("--rounds") { Description = "Untraced rounds; each starts both apps once, alternating which goes first. These give the figures.", DefaultValueFactory = _ => 6 };
var traced = new Option<int>("--traced-rounds") { Description = "Further rounds with the startup hook loaded into the worker, for the breakdown.", DefaultValueFactory = _ => 3 };
var functionsDir = new Option<string?>("--functions-dir") { Description = "The Functions app's build or publish folder (default: src/Functions/bin/<configuration>/net10.0)." };
var emptyDir = new Option<string?>("--empty-dir") { Description = "The empty app's build or publish folder (default: bench/Onboarding.EmptyFunctions/bin/<configuration>/net10.0)." };
var workerEnv = new Option<string[]>("--worker-env") { Description = "NAME=VALUE added to both workers' environment, e.g. DOTNET_TieredPGO=0; repeatable.", AllowMultipleArgumentsPerToken = false };
var output = new Option<FileInfo?>("--output") { Description = "Also write the report (Markdown) to this file." };

rounds.Validators.Add(r =>
{
    if (r.GetValue(rounds) is < 1 or > 50)
    {
        r.AddError("--rounds must be between 1 and 50.");
    }
});
traced.Validators.Add(r =>
{
    if (r.GetValue(traced) is < 0 or > 20)
    {
        r.AddError("--traced-rounds must be between 0 and 20.");
    }
});
workerEnv.Validators.Add(r =>
{
    if ((r.GetValue(workerEnv) ?? []).Any(s => s.IndexOf('=', StringComparison.Ordinal) < 1))
    {
        r.AddError("--worker-env takes NAME=VALUE.");
    }
});

var root = new RootCommand(
    "Starts the compiled Functions app and an empty isolated-worker app cold behind the Functions test host (loopback only), " +
    "alternately, and reports the time to the first answered requests, their ratio, and a breakdown of the start from inside the worker.");
foreach (var option in new Option[] { rounds, traced, functionsDir, emptyDir, workerEnv, output })
{
    root.Options.Add(option);
}

root.SetAction((parse, cancellationToken) => ColdStartRun.RunAsync(
    new ColdStartSettings(parse.GetValue(rounds), parse.GetValue(traced), parse.GetValue(functionsDir), parse.GetValue(emptyDir), parse.GetValue(workerEnv) ?? [], parse.GetValue(output)),
    cancellationToken));

return await root.Parse(args).InvokeAsync();

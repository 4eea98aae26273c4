using Onboarding.Core;
using Onboarding.FunctionsHost;
using Onboarding.Server.Azurite;
using Onboarding.Server.DevIssuer;

// The stand-alone test host: the compiled Functions app behind this host's side of the worker protocol, on loopback,
// with an Azurite it starts itself and the development issuer served from this process. Not the Azure Functions
// runtime; see docs/functions.md.
var config = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables("ONBOARDING_FUNCTIONS_HOST_").Build();
var url = config["urls"] ?? "http://127.0.0.1:5080";
if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Port == 0 || !System.Net.IPAddress.TryParse(address.Host, out var ip) || !System.Net.IPAddress.IsLoopback(ip))
{
    Console.Error.WriteLine($"--urls must be a loopback address with a fixed port, e.g. http://127.0.0.1:5080 (got '{url}').");
    return 2;
}

var root = AzuriteProcess.FindRepositoryRoot();
await using var azurite = config["Storage:ConnectionString"] is { Length: > 0 }
    ? null
    : await AzuriteProcess.StartAsync(config.GetValue("Azurite:InMemory", false) ? null : Path.Combine(root, ".azurite"));
using var issuer = new DevelopmentIssuer();

var options = new FunctionsTestHostOptions { Url = url, Environment = "Development" };
if (config["WorkerDirectory"] is { Length: > 0 } workerDirectory)
{
    options.WorkerDirectory = workerDirectory;
}

options.AppSettings["Storage:ConnectionString"] = config["Storage:ConnectionString"] is { Length: > 0 } storage ? storage : azurite!.ConnectionString;
options.AppSettings["Auth:Authority"] = DevelopmentIssuer.Issuer;
options.AppSettings["Auth:Audience"] = DevelopmentIssuer.Audience;
options.AppSettings["Auth:MetadataAddress"] = $"{url.TrimEnd('/')}{DevelopmentIssuerEndpoints.DiscoveryPath}";
// The Server's Development key for the local secret store (src/Server/appsettings.Development.json): keys saved
// through either host stay readable by the other over the same .azurite data.
options.AppSettings["Secrets:LocalEncryptionKey"] = config["Secrets:LocalEncryptionKey"] ?? "ZGV2LW9ubHkta2V5LWZvci10aGUtbG9jYWwtc3RvcmU=";
options.ConfigureHostServices = services => services
    .AddSingleton(issuer)
    .ConfigureHttpJsonOptions(o => OnboardingCoreServiceCollectionExtensions.ConfigureJson(o.SerializerOptions));
options.MapHostEndpoints = app => app.MapDevelopmentIssuer();

await using var host = await FunctionsTestHost.StartAsync(options);
var api = $"{url.TrimEnd('/')}/api";
Console.WriteLine("Onboarding Functions app behind the Functions TEST host (not the Azure Functions runtime).");
Console.WriteLine($"API: {api} (health: {api}/health)");
Console.WriteLine("Get a token for a user:");
Console.WriteLine($"  curl -s -X POST {url.TrimEnd('/')}{DevelopmentIssuerEndpoints.TokenPath} -H 'Content-Type: application/json' -d '{{\"user\":\"alice\"}}'");
Console.WriteLine("Ctrl+C stops the host, the worker and Azurite.");

try
{
    // Ctrl+C or SIGTERM stops the HTTP side (its console lifetime), which ends the wait.
    await host.WorkerExited.WaitAsync(host.Stopping);
    Console.Error.WriteLine($"The Functions worker exited. Its last output:{Environment.NewLine}{host.WorkerOutput}");
    return 1;
}
catch (OperationCanceledException)
{
    return 0;
}

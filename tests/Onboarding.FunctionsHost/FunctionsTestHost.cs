using System.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Onboarding.FunctionsHost;

/// <summary>What to run and how: the worker's folder, its app settings, and where the host listens.</summary>
public sealed class FunctionsTestHostOptions
{
    /// <summary>The worker's output folder (Onboarding.Functions.dll, functions.metadata, host.json).</summary>
    public string WorkerDirectory { get; set; } = DefaultWorkerDirectory();

    public string WorkerAssembly { get; set; } = "Onboarding.Functions.dll";

    /// <summary>App settings, passed to the worker as environment variables (<c>Auth:Authority</c> as <c>Auth__Authority</c>).</summary>
    public IDictionary<string, string?> AppSettings { get; } = new Dictionary<string, string?>();

    /// <summary>The worker's <c>AZURE_FUNCTIONS_ENVIRONMENT</c>.</summary>
    public string Environment { get; set; } = "Development";

    /// <summary>Where the HTTP side listens; port 0 picks a free one.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>Endpoints this host serves itself, before the function routes (the stand-alone command's dev issuer).</summary>
    public Action<WebApplication>? MapHostEndpoints { get; set; }

    public Action<IServiceCollection>? ConfigureHostServices { get; set; }

    /// <summary>How long the worker may take to connect, index and load its functions.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The Functions project's output folder for this build configuration (see the project file).</summary>
    public static string DefaultWorkerDirectory() =>
        typeof(FunctionsTestHostOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "FunctionsWorkerDirectory").Value!;
}

/// <summary>
/// A test host for the compiled Functions worker: a gRPC endpoint for the worker's event stream, the worker as a
/// child process, and an HTTP endpoint that routes and forwards requests to it the way the Functions host does.
/// Everything listens on loopback. It is not the Azure Functions runtime: no triggers but HTTP, no scaling, no keys.
/// </summary>
public sealed class FunctionsTestHost : IAsyncDisposable
{
    private readonly WebApplication _rpc;
    private readonly WebApplication _http;
    private readonly WorkerProcess _worker;
    private readonly WorkerChannel _channel;
    private readonly HttpMessageInvoker _client;

    private FunctionsTestHost(WebApplication rpc, WebApplication http, WorkerProcess worker, WorkerChannel channel, HttpMessageInvoker client, Uri baseAddress, IReadOnlyList<HttpFunction> functions)
    {
        Functions = functions;
        _rpc = rpc;
        _http = http;
        _worker = worker;
        _channel = channel;
        _client = client;
        BaseAddress = baseAddress;
    }

    /// <summary>The HTTP side, e.g. <c>http://127.0.0.1:40123/</c>; the API is under <c>api/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The HTTP functions the worker reported and this host routes to, with their full routes.</summary>
    public IReadOnlyList<HttpFunction> Functions { get; }

    /// <summary>The size of each invocation's return value as the worker sent it (see <see cref="WorkerChannel.ReturnValueSizes"/>).</summary>
    public IReadOnlyList<int> ReturnValueSizes => _channel.ReturnValueSizes;

    /// <summary>Completes once the worker has sent <paramref name="count"/> invocation responses, in all.</summary>
    public Task InvocationResponsesReachedAsync(int count) => _channel.InvocationResponsesReachedAsync(count);

    /// <summary>The worker's last lines of output, for diagnostics.</summary>
    public string WorkerOutput => _worker.Output;

    /// <summary>The worker's log entries of Warning and above, as they came over its event stream, oldest first.</summary>
    public IReadOnlyList<string> WorkerLog => [.. _workerLog];

    private System.Collections.Concurrent.ConcurrentQueue<string> _workerLog = new();

    /// <summary>Signalled when the HTTP side begins to stop (Ctrl+C or SIGTERM on a console).</summary>
    public CancellationToken Stopping => _http.Lifetime.ApplicationStopping;

    /// <summary>Completes when the worker process ends.</summary>
    public Task WorkerExited => _worker.Exited;

    public static async Task<FunctionsTestHost> StartAsync(FunctionsTestHostOptions options, CancellationToken cancellationToken = default)
    {
        var workerDirectory = Path.GetFullPath(options.WorkerDirectory);
        if (!File.Exists(Path.Combine(workerDirectory, options.WorkerAssembly)))
        {
            throw new InvalidOperationException($"No {options.WorkerAssembly} in {workerDirectory}: build src/Functions first.");
        }

        var routePrefix = FunctionRouteTable.RoutePrefixFrom(Path.Combine(workerDirectory, "host.json"));
        Attempt started;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                started = await StartWorkerAsync(options, workerDirectory, routePrefix, cancellationToken);
                break;
            }
            catch (WorkerPortTakenException) when (attempt < MaxPortAttempts)
            {
                // The ASP.NET Core integration picks its HTTP port by binding port 0 and letting it go, then binds it
                // again; on a machine busy with other loopback servers another socket can take it in between, and the
                // worker dies at start. The Functions host restarts a worker that fails to start; so does this one.
            }
        }

        var (channel, rpc, worker, ready, messages) = started;
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
        var http = BuildHttp(options, new HttpInvocationProxy(client, channel, ready));
        await http.StartAsync(cancellationToken);
        return new FunctionsTestHost(rpc, http, worker, channel, client, LoopbackAddress.Of(http.Services), ready.Routes.Functions)
        {
            _workerLog = messages,
        };
    }

    private const int MaxPortAttempts = 3;

    private sealed record Attempt(WorkerChannel Channel, WebApplication Rpc, WorkerProcess Worker, WorkerChannel.Ready Ready,
        System.Collections.Concurrent.ConcurrentQueue<string> Messages);

    /// <summary>The worker's own HTTP port was taken before it could bind it (see <see cref="StartAsync"/>).</summary>
    private sealed class WorkerPortTakenException(string message) : InvalidOperationException(message);

    private static async Task<Attempt> StartWorkerAsync(FunctionsTestHostOptions options, string workerDirectory, string routePrefix, CancellationToken cancellationToken)
    {
        var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var channel = new WorkerChannel(Guid.NewGuid().ToString(), workerDirectory, routePrefix, messages.Enqueue);
        var rpc = BuildRpc(channel);
        await rpc.StartAsync(cancellationToken);
        var rpcAddress = LoopbackAddress.Of(rpc.Services);

        var worker = WorkerProcess.Start(new WorkerLaunch(
            workerDirectory, options.WorkerAssembly, rpcAddress, channel.WorkerId, Guid.NewGuid().ToString(), options.Environment,
            options.AppSettings.ToDictionary()));
        _ = worker.Exited.ContinueWith(_ => channel.Fail(new WorkerGoneException(
            $"The Functions worker exited (code {worker.ExitCode}).")), TaskScheduler.Default);

        try
        {
            var ready = await channel.ReadyTask.WaitAsync(options.StartupTimeout, cancellationToken);

            // The worker advertises its HTTP URI at init, before its Kestrel necessarily listens; the host does not
            // send it requests until it accepts connections (a busy machine can take a while to get there).
            await WorkerHttp.WaitUntilListeningAsync(ready.HttpUri, worker.Exited, options.StartupTimeout, cancellationToken);
            return new Attempt(channel, rpc, worker, ready, messages);
        }
        catch (Exception e)
        {
            var output = worker.Output;
            await worker.DisposeAsync();
            await rpc.DisposeAsync();
            var message = $"The Functions worker did not become ready: {e.Message}{Environment.NewLine}{string.Join(Environment.NewLine, messages)}{Environment.NewLine}Worker output:{Environment.NewLine}{output}";
            if (output.Contains("AddressInUseException", StringComparison.Ordinal))
            {
                throw new WorkerPortTakenException(message);
            }

            throw new InvalidOperationException(message, e);
        }
    }

    private static WebApplication BuildRpc(WorkerChannel channel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The worker's gRPC client speaks HTTP/2 without TLS (prior knowledge), so this endpoint is HTTP/2 only.
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(channel);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        return app;
    }

    private static WebApplication BuildHttp(FunctionsTestHostOptions options, HttpInvocationProxy proxy)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The Functions host's own request body limit (100 MB); the app's limits apply in the worker.
            kestrel.Limits.MaxRequestBodySize = 100 * 1024 * 1024;
        });
        builder.Services.AddRouting();
        options.ConfigureHostServices?.Invoke(builder.Services);
        var app = builder.Build();
        options.MapHostEndpoints?.Invoke(app);

        // Everything else is the Functions app's: the proxy routes it by the worker's metadata or answers 404.
        app.Map("{**path}", proxy.HandleAsync);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _http.StopAsync();
        // WorkerTerminate first, as the host does on shutdown; then the process is ended if it is still there.
        try
        {
            _channel.Terminate();
        }
        catch (WorkerGoneException)
        {
            // Already gone.
        }

        await Task.WhenAny(_worker.Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        await _worker.DisposeAsync();
        await _rpc.StopAsync();
        await _http.DisposeAsync();
        await _rpc.DisposeAsync();
        _client.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Onboarding.FunctionsHost.Rpc;
using Onboarding.Testing;

namespace Onboarding.FunctionsHost;

/// <summary>
/// The host's side of one worker's event stream, in the order the Functions host drives it: the worker opens the
/// stream with <c>StartStream</c>; the host sends <c>WorkerInitRequest</c> and reads the worker's capabilities (the
/// ASP.NET Core integration's <c>HttpUri</c>), asks for the function metadata (worker indexing), loads every function,
/// and from then on sends one <c>InvocationRequest</c> per HTTP request and completes it on its <c>InvocationResponse</c>.
/// </summary>
public sealed class WorkerChannel
{
    /// <summary>The capability the ASP.NET Core integration advertises: where its Kestrel takes proxied requests.</summary>
    public const string HttpUriCapability = "HttpUri";

    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _replies = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private readonly TaskCompletionSource<Ready> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _appDirectory;
    private readonly string _routePrefix;
    private readonly Action<string> _log;
    private readonly ConcurrentQueue<int> _returnValueSizes = new();
    private readonly EventCount _invocationResponses = new();
    private int _connected;
    private Exception? _gone;

    public WorkerChannel(string workerId, string appDirectory, string routePrefix, Action<string> log)
    {
        WorkerId = workerId;
        _appDirectory = appDirectory;
        _routePrefix = routePrefix;
        _log = log;
    }

    public string WorkerId { get; }

    /// <summary>
    /// The size in characters of each invocation's return value, in the order the responses came. The host has no use
    /// for an HTTP function's return value (the proxied response is the answer), so it measures what the worker sent.
    /// </summary>
    public IReadOnlyList<int> ReturnValueSizes => [.. _returnValueSizes];

    /// <summary>Completes once <paramref name="count"/> invocation responses have come in, in all.</summary>
    public Task InvocationResponsesReachedAsync(int count) => _invocationResponses.WhenReachedAsync(count);

    /// <summary>Completes once every function is loaded, with the worker's HTTP URI and the route table.</summary>
    public Task<Ready> ReadyTask => _ready.Task;

    public sealed record Ready(Uri HttpUri, FunctionRouteTable Routes);

    /// <summary>Runs the stream the worker opened, until either side ends it.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken) || requests.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition, "The first message must be StartStream."));
        }

        if (requests.Current.StartStream.WorkerId != WorkerId || Interlocked.Exchange(ref _connected, 1) == 1)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.PermissionDenied, "Unknown worker id, or the worker is already connected."));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteAllAsync(responses, stop.Token);
        var startup = StartupAsync(stop.Token);
        try
        {
            while (await requests.MoveNext(stop.Token))
            {
                Dispatch(requests.Current);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The worker went away mid-message.
        }
        finally
        {
            Fail(new WorkerGoneException("The worker closed its gRPC stream."));
            await stop.CancelAsync();
            await Task.WhenAll(writer, startup).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Starts one invocation; the returned task completes with the worker's response or fails when it is gone.</summary>
    public Task<InvocationResponse> Invoke(InvocationRequest request)
    {
        var reply = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[request.InvocationId] = reply;
        if (Volatile.Read(ref _gone) is { } gone)
        {
            _invocations.TryRemove(request.InvocationId, out _);
            return Task.FromException<InvocationResponse>(gone);
        }

        Send(new StreamingMessage { InvocationRequest = request });
        return reply.Task;
    }

    public void Cancel(string invocationId) =>
        Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } });

    /// <summary>Tells the worker to stop (it stops its host on <c>WorkerTerminate</c>).</summary>
    public void Terminate() =>
        Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });

    /// <summary>Fails everything pending: the worker process ended or its stream closed.</summary>
    public void Fail(Exception reason)
    {
        Interlocked.CompareExchange(ref _gone, reason, null);
        _ready.TrySetException(reason);
        foreach (var (id, reply) in _replies)
        {
            if (_replies.TryRemove(id, out _))
            {
                reply.TrySetException(reason);
            }
        }

        foreach (var (id, invocation) in _invocations)
        {
            if (_invocations.TryRemove(id, out _))
            {
                invocation.TrySetException(reason);
            }
        }

        _outbound.Writer.TryComplete();
    }

    private async Task StartupAsync(CancellationToken cancellationToken)
    {
        try
        {
            var init = new WorkerInitRequest
            {
                HostVersion = "4.0.0-onboarding-test-host",
                FunctionAppDirectory = _appDirectory,
                WorkerDirectory = _appDirectory,
            };

            // As the host does: it supports several streams per worker (the dotnet worker opens one).
            init.Capabilities["MultiStream"] = "10";
            var initReply = (await RequestAsync(new StreamingMessage { WorkerInitRequest = init }, cancellationToken)).WorkerInitResponse;
            EnsureSuccess(initReply.Result, "WorkerInitRequest");
            if (!initReply.Capabilities.TryGetValue(HttpUriCapability, out var httpUri) || !Uri.TryCreate(httpUri, UriKind.Absolute, out var workerUri))
            {
                throw new InvalidOperationException(
                    $"The worker did not advertise the '{HttpUriCapability}' capability: it does not use the ASP.NET Core integration (ConfigureFunctionsWebApplication). Capabilities: {string.Join(", ", initReply.Capabilities.Keys)}.");
            }

            var metadataReply = (await RequestAsync(
                new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _appDirectory } },
                cancellationToken)).FunctionMetadataResponse;
            EnsureSuccess(metadataReply.Result, "FunctionsMetadataRequest");
            if (metadataReply.UseDefaultMetadataIndexing)
            {
                throw new InvalidOperationException("The worker asked for host indexing (functions.json files), which this test host does not do.");
            }

            var loads = metadataReply.FunctionMetadataResults.Select(async metadata =>
            {
                metadata.Directory = _appDirectory;
                var load = new FunctionLoadRequest { FunctionId = metadata.FunctionId, Metadata = metadata };
                var loaded = (await RequestAsync(new StreamingMessage { FunctionLoadRequest = load }, cancellationToken)).FunctionLoadResponse;
                EnsureSuccess(loaded.Result, $"FunctionLoadRequest for '{metadata.Name}'");
            });
            await Task.WhenAll(loads);

            _ready.TrySetResult(new Ready(workerUri, FunctionRouteTable.Build(metadataReply.FunctionMetadataResults, _routePrefix)));
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
        }
    }

    private async Task<StreamingMessage> RequestAsync(StreamingMessage message, CancellationToken cancellationToken)
    {
        message.RequestId = Guid.NewGuid().ToString();
        var reply = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[message.RequestId] = reply;
        Send(message);
        return await reply.Task.WaitAsync(cancellationToken);
    }

    private void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message) && Volatile.Read(ref _gone) is { } gone)
        {
            throw gone;
        }
    }

    private static int SizeOf(TypedData? value) => value?.DataCase switch
    {
        null or TypedData.DataOneofCase.None => 0,
        TypedData.DataOneofCase.String => value.String.Length,
        TypedData.DataOneofCase.Json => value.Json.Length,
        _ => value.CalculateSize(),
    };

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                _returnValueSizes.Enqueue(SizeOf(message.InvocationResponse.ReturnValue));
                _invocationResponses.Add();
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation))
                {
                    invocation.TrySetResult(message.InvocationResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = message.RpcLog;
                if (log.Level >= RpcLog.Types.Level.Warning)
                {
                    _log($"[worker {log.Level}] {log.Category}: {log.Message} {log.Exception?.Message}");
                }

                break;
            default:
                if (_replies.TryRemove(message.RequestId, out var reply))
                {
                    reply.TrySetResult(message);
                }

                break;
        }
    }

    private async Task WriteAllAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (InvalidOperationException)
        {
            // The call ended while a message was queued.
        }
    }

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException(
                $"The worker failed {step}: {result?.Exception?.Message ?? result?.Result ?? "no result"}{Environment.NewLine}{result?.Exception?.StackTrace}");
        }
    }
}

/// <summary>The worker process ended or closed its stream while requests were pending.</summary>
public sealed class WorkerGoneException(string message) : Exception(message);

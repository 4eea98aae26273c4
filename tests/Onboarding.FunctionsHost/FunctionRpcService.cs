using Grpc.Core;
using Onboarding.FunctionsHost.Rpc;

namespace Onboarding.FunctionsHost;

/// <summary><c>FunctionRpc.EventStream</c>, the one call a worker makes to its host.</summary>
public sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.RunAsync(requestStream, responseStream, context.CancellationToken);
}

using System.Net.Sockets;

namespace Onboarding.FunctionsHost;

/// <summary>Waits for the worker's ASP.NET Core integration to accept connections on the URI it advertised.</summary>
internal static class WorkerHttp
{
    public static async Task WaitUntilListeningAsync(Uri httpUri, Task workerExited, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (workerExited.IsCompleted)
            {
                throw new WorkerGoneException("The Functions worker exited before its HTTP endpoint accepted connections.");
            }

            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(httpUri.Host, httpUri.Port, deadline.Token);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
            {
                // Not listening yet: try again once the worker has had a moment, or stop when it exits.
                await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token), workerExited).WaitAsync(deadline.Token);
            }
        }
    }
}

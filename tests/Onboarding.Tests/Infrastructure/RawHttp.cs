using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Onboarding.Tests.Infrastructure;

/// <summary>A response read off the wire: status, headers (repeats kept) and body.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    /// <summary>The same checks as <see cref="Http.ExpectProblemAsync(HttpResponseMessage, HttpStatusCode, string)"/>.</summary>
    public JsonNode ExpectProblem(HttpStatusCode status, string slug)
    {
        Assert.True(Status == (int)status, $"Expected {(int)status} but got {Status}: {Body}");
        var mediaType = Header("Content-Type")?.Split(';')[0].Trim();
        return Http.AssertType(Http.AssertProblem(Json ?? new JsonObject(), mediaType, status), slug);
    }
}

/// <summary>
/// Sends a hand-written HTTP/1.1 request over a socket, for requests HttpClient will not send (a header line repeated,
/// for instance, where HttpClient would fold the values into one line) and for bodies the server refuses before it has
/// read them: the body is written while the response is read, as a client does that keeps sending after the server
/// has answered. A server that refuses a body part-way answers and closes, and the writes that fail after that are
/// expected; HttpClient instead reports the failed write and drops the response it already received.
/// </summary>
public static class RawHttp
{
    /// <summary>A request with an optional JSON body sent with its Content-Length.</summary>
    public static Task<RawResponse> SendAsync(Uri baseAddress, string method, string path, IEnumerable<(string Name, string Value)> headers, string? body = null)
    {
        var content = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var framing = body is null ? string.Empty : $"Content-Type: application/json\r\nContent-Length: {content.Length}\r\n";
        return ExchangeAsync(baseAddress, method, path, headers, framing, stream => stream.WriteAsync(content).AsTask());
    }

    /// <summary>A request with a JSON body sent chunked, without a length.</summary>
    public static Task<RawResponse> SendChunkedAsync(Uri baseAddress, string method, string path, IEnumerable<(string Name, string Value)> headers, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ExchangeAsync(baseAddress, method, path, headers, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", async stream =>
        {
            const int chunk = 16 * 1024;
            for (var offset = 0; offset < body.Length; offset += chunk)
            {
                var size = Math.Min(chunk, body.Length - offset);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
                await stream.WriteAsync(body.AsMemory(offset, size));
                await stream.WriteAsync("\r\n"u8.ToArray());
            }

            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        });
    }

    private static async Task<RawResponse> ExchangeAsync(
        Uri baseAddress, string method, string path, IEnumerable<(string Name, string Value)> headers, string framing, Func<Stream, Task> writeBody)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = client.GetStream();
        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(baseAddress.Authority).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append(framing).Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));

        var sending = Task.Run(async () =>
        {
            try
            {
                await writeBody(stream);
            }
            catch (IOException)
            {
                // The server answered and closed before the whole body was sent.
            }
        });

        using var buffer = new MemoryStream();
        var read = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(read)) > 0)
            {
                buffer.Write(read, 0, n);
            }
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // A reset after the response arrived: the response is what was read.
        }

        await sending;
        return Parse(buffer.ToArray());
    }

    private static RawResponse Parse(byte[] received)
    {
        var text = Encoding.UTF8.GetString(received);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split].Split("\r\n");
        var responseHeaders = head.Skip(1)
            .Select(line => line.Split(':', 2))
            .Select(pair => new KeyValuePair<string, string>(pair[0].Trim(), pair[1].Trim()))
            .ToList();
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var responseBody = text[(split + 4)..];
        if (responseHeaders.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            responseBody = Dechunk(responseBody);
        }

        return new RawResponse(status, responseHeaders, responseBody);
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}

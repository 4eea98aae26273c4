using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>A Server whose logs are captured, for the requests whose framing Kestrel refuses while the body arrives.</summary>
public sealed class LoggedApiFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = azurite;

    public TestIssuer Issuer { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    public FakeLogCollector Logs => Server.Services.GetFakeLogCollector();

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Server = await ApiServer.StartAsync(Azurite, Issuer, configure: builder => builder.Logging.AddFakeLogging());
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

/// <summary>
/// Chunked bodies whose framing is broken, and a body that stops arriving. Kestrel refuses each while the handler reads
/// it (a <c>BadHttpRequestException</c> with a 4xx status); the answer is that status as ProblemDetails, not a 500, the
/// user's state is unchanged, and nothing is logged at Error level (no stack trace for a client's mistake).
/// Server only: on the Functions host the body is framed by the test host's own Kestrel (tests/Onboarding.FunctionsHost),
/// not by the worker, so sending it there would test the stand-in for the Azure front end rather than the app; and the
/// log assertion reads the Server's in-process log collector.
/// </summary>
public sealed class BrokenFramingTests(LoggedApiFixture api) : IClassFixture<LoggedApiFixture>
{
    private const string Path = "/api/onboarding/step/3";

    public static TheoryData<string, string> BrokenBodies => new()
    {
        { "a chunk size that is not hex", "zz\r\n{}\r\n0\r\n\r\n" },
        { "a chunk size that overflows", "fffffffffffffffffff\r\n{}\r\n0\r\n\r\n" },
        { "a chunk without its CRLF", "2\r\n{}XX0\r\n\r\n" },
        { "a chunk size line without CRLF", "2\n{}\r\n0\r\n\r\n" },
        { "a chunk extension with a bare LF", "2;ext\n{}\r\n0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public async Task Broken_chunked_framing_is_a_400_problem_that_changes_nothing_and_logs_no_error(string name, string chunkedBody)
    {
        var subject = ApiFixture.NewSubject("framing");
        using var client = api.Server.WithToken(api.Issuer.Mint(subject));
        await Seed.StartedUserAsync(client);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        var errorsBefore = ErrorCount();

        var response = await SendAsync(subject, Encoding.ASCII.GetBytes(chunkedBody), finish: true);

        response.ExpectProblem(HttpStatusCode.BadRequest, "malformed-body");
        var after = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        Assert.True(before == after, $"The refused body ({name}) changed the stored state.\nBefore:\n{before}\nAfter:\n{after}");
        Assert.Equal(errorsBefore, ErrorCount());
    }

    [Fact]
    public async Task A_body_that_stops_arriving_is_a_408_problem_that_changes_nothing_and_logs_no_error()
    {
        var subject = ApiFixture.NewSubject("stalled");
        using var client = api.Server.WithToken(api.Issuer.Mint(subject));
        await Seed.StartedUserAsync(client);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        var errorsBefore = ErrorCount();

        // One chunk of a body that promises more, then silence with the connection open: Kestrel's minimum body data
        // rate ends the wait, and the answer is what this test waits for.
        var response = await SendAsync(subject, Encoding.ASCII.GetBytes("1\r\n{\r\n"), finish: false);

        response.ExpectProblem(HttpStatusCode.RequestTimeout, "request-timeout");
        var after = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        Assert.True(before == after, $"The stalled body changed the stored state.\nBefore:\n{before}\nAfter:\n{after}");
        Assert.Equal(errorsBefore, ErrorCount());
    }

    private int ErrorCount() => api.Logs.GetSnapshot().Count(r => r.Level >= LogLevel.Error);

    /// <summary>
    /// Writes the request head and the raw chunked body, then reads the answer until the server closes. With
    /// <paramref name="finish"/> false the client keeps the connection open without sending more, as a stalled client does.
    /// </summary>
    private async Task<RawResponse> SendAsync(string subject, byte[] chunkedBody, bool finish)
    {
        var address = api.Server.BaseAddress;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        await using var stream = tcp.GetStream();
        var head = $"PUT {Path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {api.Issuer.Mint(subject)}\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + (finish ? "Connection: close\r\n" : string.Empty) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
        await stream.WriteAsync(chunkedBody, TestContext.Current.CancellationToken);

        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await ReadAsync(stream, buffer)) > 0)
        {
            received.Write(buffer, 0, read);
            if (!finish && ResponseComplete(received.ToArray()))
            {
                break;
            }
        }

        return Parse(received.ToArray());
    }

    private static async Task<int> ReadAsync(Stream stream, byte[] buffer)
    {
        try
        {
            return await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        }
        catch (IOException)
        {
            // A reset after the answer: what was read is the answer.
            return 0;
        }
    }

    /// <summary>The head has arrived and the body is complete by its Content-Length or its last chunk.</summary>
    private static bool ResponseComplete(byte[] received)
    {
        var text = Encoding.UTF8.GetString(received);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var head = text[..split];
        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is not null
            ? Encoding.UTF8.GetByteCount(text[(split + 4)..]) >= int.Parse(length.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }

    private static RawResponse Parse(byte[] received)
    {
        var text = Encoding.UTF8.GetString(received);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"No HTTP response arrived: '{text}'");
        var lines = text[..split].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0].Trim(), p[1].Trim())).ToList();
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = text[(split + 4)..];
        if (headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd], 16);
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

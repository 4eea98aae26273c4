using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// The <see cref="FakeKeyVaultHandler"/> served over HTTPS on loopback, for an app in another process (the Functions
/// worker): Kestrel hands each request to the same handler the in-process tests use, so state, protocol and faults are
/// one. It also answers the App Service managed-identity token endpoint (<c>IDENTITY_ENDPOINT</c>/<c>IDENTITY_HEADER</c>)
/// with the vault's accepted token, so the app's own <c>DefaultAzureCredential</c> gets in unchanged.
/// The vault has a real-looking URI (<see cref="VaultHost"/>), because the Key Vault SDK accepts a bearer challenge only
/// for a resource whose host is a parent domain of the vault's; the app reaches it through a <see cref="VaultConnectProxy"/>
/// (<c>HTTPS_PROXY</c>), which tunnels that one name to Kestrel's loopback port. Loopback targets bypass the proxy
/// (<c>NO_PROXY</c>). The certificate is self-signed for <c>localhost</c> and <see cref="VaultHost"/>, made at start and
/// written as PEM to <see cref="CertificateFile"/> for the other process to trust (<c>SSL_CERT_FILE</c>).
/// </summary>
public sealed class LoopbackKeyVault : IAsyncDisposable
{
    public const string TokenPath = "/msi/token";

    /// <summary>
    /// The vault's host name, under the challenge's default resource <c>https://vault.azure.net</c>. It never reaches DNS:
    /// the app's only way to it is the proxy's tunnel to loopback.
    /// </summary>
    public const string VaultHost = "onboarding-test.vault.azure.net";

    private readonly WebApplication _app;
    private readonly string _certificateDirectory;
    private FakeKeyVaultHandler? _vault;

    private LoopbackKeyVault(WebApplication app, string certificateDirectory)
    {
        _app = app;
        _certificateDirectory = certificateDirectory;
    }

    private VaultConnectProxy? _proxy;
    private int _port;

    /// <summary>The tunnel the app reaches the vault through.</summary>
    public VaultConnectProxy Proxy => _proxy ?? throw new InvalidOperationException("The vault is not started yet.");

    public FakeKeyVaultHandler Vault => _vault ?? throw new InvalidOperationException("The vault is not started yet.");

    public Uri VaultUri => Vault.VaultUri;

    /// <summary>The self-signed certificate as PEM, for the other process's trust store.</summary>
    public string CertificateFile => Path.Combine(_certificateDirectory, "loopback-vault.pem");

    /// <summary>The secret the token endpoint expects in <c>X-IDENTITY-HEADER</c>.</summary>
    public string IdentityHeader { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Token requests the endpoint answered, by resource asked for.</summary>
    public IReadOnlyList<string> TokenRequests => [.. _tokenRequests];

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _tokenRequests = new();

    /// <summary>The environment an app process needs to reach and trust this vault with its managed identity.</summary>
    public IReadOnlyDictionary<string, string?> ProcessEnvironment => new Dictionary<string, string?>
    {
        ["SSL_CERT_FILE"] = CertificateFile,
        ["IDENTITY_ENDPOINT"] = $"https://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}{TokenPath}",
        ["IDENTITY_HEADER"] = IdentityHeader,

        // Managed identity is the only credential the app may use, as in Azure: no developer sign-in is tried.
        ["AZURE_TOKEN_CREDENTIALS"] = "ManagedIdentityCredential",

        // .NET's default proxy reads these on Linux: HTTPS to the vault goes through the tunnel, loopback (Azurite, the
        // issuer, the test host, the token endpoint) goes direct.
        ["HTTPS_PROXY"] = Proxy.Address.AbsoluteUri,
        ["NO_PROXY"] = "127.0.0.1,localhost",
    };

    public static async Task<LoopbackKeyVault> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("onboarding-vault-").FullName;
        using var certificate = CreateCertificate();
        await File.WriteAllTextAsync(Path.Combine(directory, "loopback-vault.pem"), certificate.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var serving = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        var app = builder.Build();
        var server = new LoopbackKeyVault(app, directory);
        app.Run(server.HandleAsync);
        await app.StartAsync();

        var port = LoopbackAddress.Of(app.Services).Port;
        server._port = port;
        server._vault = new FakeKeyVaultHandler(new Uri($"https://{VaultHost}/"));
        server._proxy = VaultConnectProxy.Start(VaultHost, port);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase))
        {
            await AnswerTokenRequestAsync(context);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(VaultUri, context.Request.Path + context.Request.QueryString));
        foreach (var (name, values) in context.Request.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            request.Content = new ByteArrayContent(body.ToArray());
            foreach (var (name, values) in context.Request.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var invoker = new HttpMessageInvoker(Vault, disposeHandler: false);
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // The fake's refused connection: over a real socket, the closest is dropping it with no answer.
            context.Abort();
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // an unresponsive-vault fault, until the client gave up
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = new StringValues([.. values]);
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    /// <summary>The App Service managed-identity protocol: GET with <c>resource</c> and the <c>X-IDENTITY-HEADER</c> secret.</summary>
    private async Task AnswerTokenRequestAsync(HttpContext context)
    {
        var resource = context.Request.Query["resource"].ToString();
        if (context.Request.Headers["X-IDENTITY-HEADER"] != IdentityHeader || resource.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        _tokenRequests.Enqueue(resource);
        var token = new JsonObject
        {
            ["access_token"] = Vault.AcceptedToken,
            ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(token.ToJsonString(), context.RequestAborted);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(VaultHost);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await _app.DisposeAsync();
        _vault?.Dispose();
        Directory.Delete(_certificateDirectory, recursive: true);
    }
}

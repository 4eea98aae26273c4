using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Onboarding.Tests.Fakes;

/// <summary>
/// An in-memory Azure Key Vault that speaks the secrets REST API as <c>Azure.Security.KeyVault.Secrets.SecretClient</c>
/// 4.x uses it, for tests that drive the real client through
/// <c>new HttpClientTransport(new HttpClient(handler))</c>. No Key Vault emulator exists; this is the stand-in.
/// <list type="bullet">
/// <item>Bearer challenge: a request without the accepted token gets 401 with
/// <c>WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/{tenant}", resource="https://vault.azure.net"</c>,
/// which is how the SDK's challenge policy learns the scope to ask its credential for.</item>
/// <item>Soft delete: a deleted secret goes through "being deleted" to "deleted but recoverable"; writing its name
/// answers 409 <c>ObjectIsDeletedButRecoverable</c>; recovery goes through "being recovered" back to active. How many
/// requests on the name each transition takes is <see cref="DeletionSteps"/> and <see cref="RecoverySteps"/>.</item>
/// <item>Faults: <see cref="InjectFault(KeyVaultFault, Func{FakeKeyVaultRequest, bool}?, int)"/> queues 429/5xx/403/409
/// answers (to authenticated requests), or refused connections and unanswered requests (to any request).</item>
/// <item>Every request is recorded (method, path, operation, secret name, whether it carried the token, status),
/// never a body.</item>
/// </list>
/// Thread-safe: one lock around the vault's state.
/// </summary>
public sealed partial class FakeKeyVaultHandler : HttpMessageHandler
{
    public const string DefaultTenantId = "7b1f2c5e-0d3a-4c8e-9f6b-2a4d8e1c3b50";
    public const string VaultResource = "https://vault.azure.net";
    public static readonly Uri DefaultVaultUri = new("https://fake-vault.vault.azure.net/");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakeKeyVaultRequest> _requests = [];
    private int _attempts;
    private readonly List<FaultRule> _faults = [];
    private readonly List<VaultHold> _holds = [];

    public FakeKeyVaultHandler(Uri? vaultUri = null, string acceptedToken = FakeTokenCredential.DefaultToken, string tenantId = DefaultTenantId)
    {
        VaultUri = vaultUri ?? DefaultVaultUri;
        AcceptedToken = acceptedToken;
        TenantId = tenantId;
    }

    public Uri VaultUri { get; }

    /// <summary>The only bearer token the vault accepts.</summary>
    public string AcceptedToken { get; }

    public string TenantId { get; }

    /// <summary>
    /// The resource the bearer challenge names. The SDK asks its credential for a token for it, and refuses a challenge
    /// whose host is not the vault's own, so a vault on loopback names <c>https://localhost</c>.
    /// </summary>
    public string ChallengeResource { get; init; } = VaultResource;

    /// <summary>Soft delete on (every vault since 2020). Off: deletes are immediate and answer without a recovery id.</summary>
    public bool SoftDeleteEnabled { get; init; } = true;

    /// <summary>Purge protection: purges are refused with 403.</summary>
    public bool PurgeProtectionEnabled { get; init; }

    /// <summary>Requests on a deleted name (the SDK's polls, writes) that still find its deletion in progress.</summary>
    public int DeletionSteps { get; set; } = 1;

    /// <summary>Requests on a recovering name that still find its recovery in progress.</summary>
    public int RecoverySteps { get; set; } = 1;

    /// <summary>Largest page a list answers, whatever <c>maxresults</c> asks for.</summary>
    public int MaxPageSize { get; set; } = 25;

    /// <summary>
    /// Every request the client handed to the transport, counted before anything else, including one whose own timeout
    /// had already run out by then (on a busy machine it can, and it is then never looked at or recorded in
    /// <see cref="Requests"/>).
    /// </summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<FakeKeyVaultRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Authenticated requests of one operation: what reached the vault past the bearer challenge.</summary>
    public IReadOnlyList<FakeKeyVaultRequest> Calls(KeyVaultOperation operation) =>
        [.. Requests.Where(r => r.Authenticated && r.Operation == operation)];

    /// <summary>
    /// Answers the next <paramref name="times"/> matching requests with <paramref name="fault"/> instead of doing them.
    /// Status faults apply to authenticated requests only (the challenge always comes first); connection faults to any.
    /// </summary>
    public void InjectFault(KeyVaultFault fault, Func<FakeKeyVaultRequest, bool>? when = null, int times = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _faults.Add(new FaultRule(fault, when ?? (_ => true), times));
        }
    }

    public void InjectFault(KeyVaultOperation operation, KeyVaultFault fault, int times = int.MaxValue) =>
        InjectFault(fault, r => r.Operation == operation, times);

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Answers given by an injected fault so far.</summary>
    public int FaultsInjected { get; private set; }

    /// <summary>Drops every hold no request has reached yet (a reached one is released by whoever waits on it).</summary>
    public void DropHolds()
    {
        lock (_gate)
        {
            _holds.Clear();
        }
    }

    /// <summary>The current version of an active secret, as stored; null when the name is not active.</summary>
    public FakeSecret? Find(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var entry) && entry.State == SecretState.Active ? entry.Latest.ToView(entry.Versions.Count) : null;
        }
    }

    /// <summary>The values of the enabled versions of an active secret, oldest first; empty when the name is not active.</summary>
    public IReadOnlyList<string> EnabledValues(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var entry) && entry.State == SecretState.Active
                ? [.. entry.Versions.Where(v => v.Enabled).Select(v => v.Value)]
                : [];
        }
    }

    /// <summary>Every secret name that is active (or being recovered, so about to be) and starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> ActiveNames(string prefix)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.Value.State is SecretState.Active or SecretState.BeingRecovered && e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(e => e.Key)];
        }
    }

    /// <summary>
    /// Holds the next authenticated request that matches <paramref name="when"/> until <see cref="VaultHold.Release"/>:
    /// before the vault looks at it, or with <paramref name="afterLanding"/> once it is done and before it is answered.
    /// A test can then act while a server is inside that call, whatever the clocks do. While held the request ignores
    /// the client's cancellation; once released, a cancelled one fails as cancelled (before landing: it never reaches
    /// the vault; after: its answer is lost).
    /// </summary>
    public VaultHold Hold(Func<FakeKeyVaultRequest, bool> when, bool afterLanding = false)
    {
        var hold = new VaultHold(when, afterLanding);
        lock (_gate)
        {
            _holds.Add(hold);
        }

        return hold;
    }

    /// <summary>Where the name is in its life: Active, BeingDeleted, Deleted, BeingRecovered, or null when unknown (or purged).</summary>
    public string? StateOf(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var entry) ? entry.State.ToString() : null;
        }
    }

    /// <summary>Puts a secret straight into the vault, bypassing the API (and the request log).</summary>
    public void Seed(string name, string value, IReadOnlyDictionary<string, string>? tags = null, bool deleted = false)
    {
        lock (_gate)
        {
            var entry = new Entry();
            entry.Versions.Add(new SecretVersion(NewVersion(), value, "text/plain", new Dictionary<string, string>(tags ?? new Dictionary<string, string>()), Now()));
            if (deleted)
            {
                entry.State = SecretState.Deleted;
                entry.DeletedOn = Now();
            }

            _entries[name] = entry;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _attempts);
        cancellationToken.ThrowIfCancellationRequested();
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var hold = TakeHold(request, body);
        if (hold is { AfterLanding: false })
        {
            hold.Arrive();
            await hold.Released;
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (Handle(request, body) is { } response)
        {
            if (hold is { AfterLanding: true })
            {
                hold.Arrive();
                await hold.Released;
                cancellationToken.ThrowIfCancellationRequested();
            }

            return response;
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new UnreachableException();
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _attempts);
        cancellationToken.ThrowIfCancellationRequested();
        string? body = null;
        if (request.Content is not null)
        {
            using var reader = new StreamReader(request.Content.ReadAsStream(cancellationToken), Encoding.UTF8);
            body = reader.ReadToEnd();
        }

        if (Handle(request, body) is { } response)
        {
            return response;
        }

        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        throw new UnreachableException();
    }

    private VaultHold? TakeHold(HttpRequestMessage request, string? body)
    {
        var uri = request.RequestUri!;
        var (operation, name, _) = Route(request.Method, uri.AbsolutePath);
        var authenticated = request.Headers.Authorization is { Scheme: "Bearer" } auth && auth.Parameter == AcceptedToken;
        var probe = new FakeKeyVaultRequest(request.Method.Method, uri.AbsolutePath, operation, name, authenticated, !string.IsNullOrEmpty(body));
        lock (_gate)
        {
            var hold = authenticated ? _holds.FirstOrDefault(h => h.When(probe)) : null;
            if (hold is not null)
            {
                _holds.Remove(hold);
            }

            return hold;
        }
    }

    /// <summary>The answer, or null when an unresponsive-vault fault says not to answer at all.</summary>
    private HttpResponseMessage? Handle(HttpRequestMessage request, string? body)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (!string.Equals(uri.Host, VaultUri.Host, StringComparison.OrdinalIgnoreCase) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"The fake vault {VaultUri} was sent a request for {uri.GetLeftPart(UriPartial.Authority)}.");
        }

        var (operation, name, version) = Route(request.Method, uri.AbsolutePath);
        var authenticated = request.Headers.Authorization is { Scheme: "Bearer" } auth && auth.Parameter == AcceptedToken;
        var record = new FakeKeyVaultRequest(request.Method.Method, uri.AbsolutePath, operation, name, authenticated, !string.IsNullOrEmpty(body));

        lock (_gate)
        {
            _requests.Add(record);
            if (TakeFault(record, transport: true) is { } transportFault)
            {
                record.Status = 0;
                return transportFault.Hangs
                    ? null
                    : throw new HttpRequestException($"Connection refused ({uri.Host}:443)", null, HttpStatusCode.ServiceUnavailable);
            }

            var response = Respond(request, uri, body, operation, name, version, authenticated, record);
            record.Status = (int)response.StatusCode;
            response.RequestMessage = request;
            response.Headers.TryAddWithoutValidation("x-ms-request-id", Guid.NewGuid().ToString());
            return response;
        }
    }

    private HttpResponseMessage Respond(HttpRequestMessage request, Uri uri, string? body, KeyVaultOperation operation, string? name, string? version, bool authenticated, FakeKeyVaultRequest record, bool applyFaults = true)
    {
        if (!authenticated)
        {
            var message = request.Headers.Authorization is null
                ? "AKV10000: Request is missing a Bearer or PoP token."
                : "AKV10022: Invalid audience. The access token is not valid for this vault.";
            var challenge = Error(HttpStatusCode.Unauthorized, "Unauthorized", message);
            challenge.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue(
                "Bearer", $"authorization=\"https://login.microsoftonline.com/{TenantId}\", resource=\"{ChallengeResource}\""));
            return challenge;
        }

        if (applyFaults && TakeFault(record, transport: false) is { } fault)
        {
            if (fault.LandsFirst)
            {
                // The vault does the operation; only its answer is replaced, as when it is lost on the way back.
                Respond(request, uri, body, operation, name, version, authenticated, record, applyFaults: false);
            }

            var response = Error(fault.Status, fault.Code, fault.Message, fault.InnerCode);
            if (fault.RetryAfter is not null)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", fault.RetryAfter);
            }

            return response;
        }

        if (!HasApiVersion(uri))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The api-version query parameter is missing.");
        }

        if (name is not null && !SecretName().IsMatch(name))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The secret name is not valid: 1-127 letters, digits and dashes.");
        }

        if (name is not null && _entries.TryGetValue(name, out var touched))
        {
            touched.Advance();
        }

        return operation switch
        {
            KeyVaultOperation.SetSecret => SetSecret(name!, body),
            KeyVaultOperation.GetSecret => GetSecret(name!, version),
            KeyVaultOperation.ListSecrets => ListSecrets(uri),
            KeyVaultOperation.ListSecretVersions => ListSecretVersions(name!),
            KeyVaultOperation.UpdateSecretProperties => UpdateSecretProperties(name!, version!, body),
            KeyVaultOperation.DeleteSecret => DeleteSecret(name!),
            KeyVaultOperation.GetDeletedSecret => GetDeletedSecret(name!),
            KeyVaultOperation.RecoverDeletedSecret => RecoverDeletedSecret(name!),
            KeyVaultOperation.PurgeDeletedSecret => PurgeDeletedSecret(name!),
            _ => Error(HttpStatusCode.BadRequest, "BadParameter", $"{request.Method} {uri.AbsolutePath} is not a secrets operation."),
        };
    }

    private HttpResponseMessage SetSecret(string name, string? body)
    {
        JsonObject? parameters;
        try
        {
            parameters = body is null ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            parameters = null;
        }

        if (parameters?["value"] is not JsonValue valueNode || !valueNode.TryGetValue<string>(out var value))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "Property 'value' is required.");
        }

        if (_entries.TryGetValue(name, out var existing) && existing.State != SecretState.Active)
        {
            return existing.State switch
            {
                SecretState.Deleted => Error(HttpStatusCode.Conflict, "Conflict",
                    $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.",
                    "ObjectIsDeletedButRecoverable"),
                SecretState.BeingDeleted => Error(HttpStatusCode.Conflict, "Conflict",
                    $"Secret {name} is currently being deleted and cannot be re-created; retry later.", "ObjectIsBeingDeleted"),
                _ => Error(HttpStatusCode.Conflict, "Conflict",
                    $"Secret {name} is currently being recovered and cannot be re-created; retry later.", "ObjectIsBeingRecovered"),
            };
        }

        var tags = new Dictionary<string, string>();
        if (parameters["tags"] is JsonObject tagObject)
        {
            foreach (var (key, tagValue) in tagObject)
            {
                tags[key] = tagValue?.GetValue<string>() ?? "";
            }
        }

        var contentType = parameters["contentType"] is JsonValue ct && ct.TryGetValue<string>(out var type) ? type : null;
        if (existing is null)
        {
            existing = new Entry();
            _entries[name] = existing;
        }

        var secret = new SecretVersion(NewVersion(), value, contentType, tags, Now());
        existing.Versions.Add(secret);
        return Json(HttpStatusCode.OK, Bundle(name, secret, includeValue: true));
    }

    private HttpResponseMessage GetSecret(string name, string? version)
    {
        if (!_entries.TryGetValue(name, out var entry) || entry.State != SecretState.Active)
        {
            return SecretNotFound(name);
        }

        var secret = string.IsNullOrEmpty(version)
            ? entry.Latest
            : entry.Versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        if (secret is { Enabled: false })
        {
            return Error(HttpStatusCode.Forbidden, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
        }

        return secret is null
            ? Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name}/{version} was not found in this key vault.")
            : Json(HttpStatusCode.OK, Bundle(name, secret, includeValue: true));
    }

    private HttpResponseMessage ListSecretVersions(string name)
    {
        var items = new JsonArray();
        if (_entries.TryGetValue(name, out var entry) && entry.State == SecretState.Active)
        {
            foreach (var version in entry.Versions)
            {
                items.Add(Bundle(name, version, includeValue: false));
            }
        }

        return Json(HttpStatusCode.OK, new JsonObject { ["value"] = items, ["nextLink"] = null });
    }

    private HttpResponseMessage UpdateSecretProperties(string name, string version, string? body)
    {
        if (!_entries.TryGetValue(name, out var entry) || entry.State != SecretState.Active)
        {
            return SecretNotFound(name);
        }

        var secret = entry.Versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        if (secret is null)
        {
            return Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name}/{version} was not found in this key vault.");
        }

        var parameters = body is null ? null : JsonNode.Parse(body) as JsonObject;
        if (parameters?["attributes"]?["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var value))
        {
            secret.Enabled = value;
        }

        return Json(HttpStatusCode.OK, Bundle(name, secret, includeValue: false));
    }

    private HttpResponseMessage ListSecrets(Uri uri)
    {
        var query = ParseQuery(uri);
        var pageSize = Math.Min(MaxPageSize, query.TryGetValue("maxresults", out var max) && int.TryParse(max, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 25);
        var skip = query.TryGetValue("$skiptoken", out var token) && int.TryParse(token, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var active = _entries.Where(e => e.Value.State == SecretState.Active).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();

        var items = new JsonArray();
        foreach (var (name, entry) in active.Skip(skip).Take(pageSize))
        {
            var item = Bundle(name, entry.Latest, includeValue: false);
            item["id"] = new Uri(VaultUri, $"secrets/{name}").AbsoluteUri;
            items.Add(item);
        }

        var next = skip + pageSize < active.Count
            ? new Uri(VaultUri, $"secrets?api-version={query["api-version"]}&$skiptoken={skip + pageSize}&maxresults={pageSize}").AbsoluteUri
            : null;
        return Json(HttpStatusCode.OK, new JsonObject { ["value"] = items, ["nextLink"] = next });
    }

    private HttpResponseMessage DeleteSecret(string name)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            return SecretNotFound(name);
        }

        switch (entry.State)
        {
            case SecretState.BeingDeleted:
                return Error(HttpStatusCode.Conflict, "Conflict", $"Secret {name} is currently being deleted.", "ObjectIsBeingDeleted");
            case SecretState.BeingRecovered:
                return Error(HttpStatusCode.Conflict, "Conflict", $"Secret {name} is currently being recovered.", "ObjectIsBeingRecovered");
            case SecretState.Deleted:
                return SecretNotFound(name);
        }

        if (!SoftDeleteEnabled)
        {
            _entries.Remove(name);
            return Json(HttpStatusCode.OK, Bundle(name, entry.Latest, includeValue: false));
        }

        entry.State = SecretState.BeingDeleted;
        entry.RemainingSteps = DeletionSteps;
        entry.DeletedOn = Now();
        return Json(HttpStatusCode.OK, DeletedBundle(name, entry));
    }

    private HttpResponseMessage GetDeletedSecret(string name) =>
        _entries.TryGetValue(name, out var entry) && entry.State == SecretState.Deleted
            ? Json(HttpStatusCode.OK, DeletedBundle(name, entry))
            : DeletedSecretNotFound(name);

    private HttpResponseMessage RecoverDeletedSecret(string name)
    {
        if (!_entries.TryGetValue(name, out var entry) || entry.State is SecretState.Active or SecretState.BeingRecovered)
        {
            return DeletedSecretNotFound(name);
        }

        if (entry.State == SecretState.BeingDeleted)
        {
            return Error(HttpStatusCode.Conflict, "Conflict", $"Secret {name} is currently being deleted.", "ObjectIsBeingDeleted");
        }

        entry.State = SecretState.BeingRecovered;
        entry.RemainingSteps = RecoverySteps;
        return Json(HttpStatusCode.OK, Bundle(name, entry.Latest, includeValue: false));
    }

    private HttpResponseMessage PurgeDeletedSecret(string name)
    {
        if (!SoftDeleteEnabled)
        {
            return Error(HttpStatusCode.BadRequest, "NotSupported", "Operation \"purge\" is not enabled for this vault.");
        }

        if (PurgeProtectionEnabled)
        {
            return Error(HttpStatusCode.Forbidden, "Forbidden",
                "Operation \"purge\" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.");
        }

        if (!_entries.TryGetValue(name, out var entry) || entry.State is SecretState.Active or SecretState.BeingRecovered)
        {
            return DeletedSecretNotFound(name);
        }

        if (entry.State == SecretState.BeingDeleted)
        {
            return Error(HttpStatusCode.Conflict, "Conflict", $"Secret {name} is currently being deleted.", "ObjectIsBeingDeleted");
        }

        _entries.Remove(name);
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private KeyVaultFault? TakeFault(FakeKeyVaultRequest request, bool transport)
    {
        foreach (var rule in _faults)
        {
            if (rule.Remaining > 0 && rule.Fault.IsTransport == transport && (transport || request.Authenticated) && rule.When(request))
            {
                rule.Remaining--;
                FaultsInjected++;
                return rule.Fault;
            }
        }

        return null;
    }

    private static (KeyVaultOperation Operation, string? Name, string? Version) Route(HttpMethod method, string path)
    {
        var segments = path.Trim('/').Split('/');
        return (segments, method.Method) switch
        {
            (["secrets"], "GET") => (KeyVaultOperation.ListSecrets, null, null),
            (["secrets", var name], "PUT") => (KeyVaultOperation.SetSecret, name, null),
            (["secrets", var name], "GET") => (KeyVaultOperation.GetSecret, name, null),
            (["secrets", var name, "versions"], "GET") => (KeyVaultOperation.ListSecretVersions, name, null),
            (["secrets", var name, var version], "GET") => (KeyVaultOperation.GetSecret, name, version),
            (["secrets", var name, var version], "PATCH") => (KeyVaultOperation.UpdateSecretProperties, name, version),
            (["secrets", var name], "DELETE") => (KeyVaultOperation.DeleteSecret, name, null),
            (["deletedsecrets", var name], "GET") => (KeyVaultOperation.GetDeletedSecret, name, null),
            (["deletedsecrets", var name], "DELETE") => (KeyVaultOperation.PurgeDeletedSecret, name, null),
            (["deletedsecrets", var name, "recover"], "POST") => (KeyVaultOperation.RecoverDeletedSecret, name, null),
            _ => (KeyVaultOperation.Unknown, null, null),
        };
    }

    private JsonObject Bundle(string name, SecretVersion secret, bool includeValue)
    {
        var bundle = new JsonObject();
        if (includeValue)
        {
            bundle["value"] = secret.Value;
        }

        bundle["id"] = new Uri(VaultUri, $"secrets/{name}/{secret.Version}").AbsoluteUri;
        if (secret.ContentType is not null)
        {
            bundle["contentType"] = secret.ContentType;
        }

        bundle["attributes"] = new JsonObject
        {
            ["enabled"] = secret.Enabled,
            ["created"] = secret.Created,
            ["updated"] = secret.Created,
            ["recoveryLevel"] = !SoftDeleteEnabled ? "Purgeable" : PurgeProtectionEnabled ? "Recoverable" : "Recoverable+Purgeable",
            ["recoverableDays"] = SoftDeleteEnabled ? 90 : 0,
        };
        bundle["tags"] = new JsonObject(secret.Tags.Select(t => KeyValuePair.Create<string, JsonNode?>(t.Key, t.Value)));
        return bundle;
    }

    private JsonObject DeletedBundle(string name, Entry entry)
    {
        var bundle = Bundle(name, entry.Latest, includeValue: false);
        bundle["recoveryId"] = new Uri(VaultUri, $"deletedsecrets/{name}").AbsoluteUri;
        bundle["deletedDate"] = entry.DeletedOn;
        bundle["scheduledPurgeDate"] = entry.DeletedOn + (long)TimeSpan.FromDays(90).TotalSeconds;
        return bundle;
    }

    private static HttpResponseMessage SecretNotFound(string name) =>
        Error(HttpStatusCode.NotFound, "SecretNotFound",
            $"A secret with (name/id) {name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.");

    private static HttpResponseMessage DeletedSecretNotFound(string name) =>
        Error(HttpStatusCode.NotFound, "SecretNotFound", $"Deleted Secret not found: {name}");

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message, string? innerCode = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (innerCode is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = innerCode };
        }

        return Json(status, new JsonObject { ["error"] = error });
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static bool HasApiVersion(Uri uri) => ParseQuery(uri).ContainsKey("api-version");

    private static Dictionary<string, string> ParseQuery(Uri uri) =>
        uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "", StringComparer.OrdinalIgnoreCase);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string NewVersion() => Guid.NewGuid().ToString("N");

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();

    private enum SecretState
    {
        Active,
        BeingDeleted,
        Deleted,
        BeingRecovered,
    }

    private sealed class Entry
    {
        public List<SecretVersion> Versions { get; } = [];

        public SecretState State { get; set; }

        public int RemainingSteps { get; set; }

        public long DeletedOn { get; set; }

        public SecretVersion Latest => Versions[^1];

        /// <summary>One more request has seen the name: an unfinished deletion or recovery moves on by one step.</summary>
        public void Advance()
        {
            if (State is not (SecretState.BeingDeleted or SecretState.BeingRecovered))
            {
                return;
            }

            if (RemainingSteps > 0)
            {
                RemainingSteps--;
                return;
            }

            State = State == SecretState.BeingDeleted ? SecretState.Deleted : SecretState.Active;
        }
    }

    private sealed record SecretVersion(string Version, string Value, string? ContentType, Dictionary<string, string> Tags, long Created)
    {
        public bool Enabled { get; set; } = true;

        public FakeSecret ToView(int versionCount) => new(Value, ContentType, Tags, Version, versionCount);
    }

    private sealed class FaultRule(KeyVaultFault fault, Func<FakeKeyVaultRequest, bool> when, int times)
    {
        public KeyVaultFault Fault { get; } = fault;

        public Func<FakeKeyVaultRequest, bool> When { get; } = when;

        public int Remaining { get; set; } = times;
    }
}

/// <summary>A request held by <see cref="FakeKeyVaultHandler.Hold"/>: <see cref="Reached"/> completes when it arrives.</summary>
public sealed class VaultHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal VaultHold(Func<FakeKeyVaultRequest, bool> when, bool afterLanding)
    {
        When = when;
        AfterLanding = afterLanding;
    }

    internal Func<FakeKeyVaultRequest, bool> When { get; }

    internal bool AfterLanding { get; }

    /// <summary>Completes once the matching request has arrived (and is being held).</summary>
    public Task Reached => _reached.Task;

    internal Task Released => _released.Task;

    internal void Arrive() => _reached.TrySetResult();

    /// <summary>Lets the held request through to the vault.</summary>
    public void Release() => _released.TrySetResult();
}

/// <summary>A stored secret version as the fake holds it (for assertions; the fake's request log never holds values).</summary>
public sealed record FakeSecret(string Value, string? ContentType, IReadOnlyDictionary<string, string> Tags, string Version, int VersionCount);

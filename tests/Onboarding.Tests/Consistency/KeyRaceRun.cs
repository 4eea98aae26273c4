using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;

namespace Onboarding.Tests.Consistency;

/// <summary>What one run of <see cref="KeyRaceRun"/> did and found.</summary>
public sealed record KeyRaceReport(int Seed, int Rounds, int Operations, int Aborts, int Faults, int Repaired, IReadOnlyList<string> Inconsistencies)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"seed {Seed}: {Rounds} rounds, {Operations} operations in random interleavings, {Aborts} client aborts, {Faults} injected faults, {Repaired} pending providers repaired by the next key operation, {Inconsistencies.Count} inconsistencies");
}

/// <summary>
/// A bounded, seeded fault and race run over <see cref="TwoInstances"/>. Each round gives two users three random
/// operations each (save, replace, delete, step writes with and without keys, reset, erase) on random instances, all
/// released together; some requests are aborted by the client at a random side effect (a held vault or table request
/// of that user: the client is cancelled while the server is inside it), and some vault and table requests fail
/// (503, 429, refused connections, non-soft-delete 409s, answers lost after landing). Once both servers are idle the
/// invariant is checked for each user: every listed key resolves to a secret with its hint and only this user's
/// values, no secret is unlisted, no replaced version is readable, and step 1's required provider counts only when its
/// key is there. Providers a double failure left pending are checked after the next key operation, which repairs them.
/// </summary>
public sealed class KeyRaceRun(TwoInstances api, int seed)
{
    private static readonly string[] Providers = ["openai", "anthropic"];

    private readonly Random _random = new(seed);
    private readonly ConcurrentDictionary<(string User, string Provider), ConcurrentBag<string>> _sent = new();
    private readonly List<string> _inconsistencies = [];
    private readonly ConcurrentQueue<string> _trace = new();
    private int _operations;
    private int _aborts;
    private int _repaired;

    public async Task<KeyRaceReport> RunAsync(int rounds)
    {
        var faultsBefore = api.Vault.FaultsInjected + api.Table.Injected;
        for (var round = 0; round < rounds; round++)
        {
            RaceUser[] users = [api.NewUser("racer-a"), api.NewUser("racer-b")];
            await RoundAsync(round, users);
        }

        return new KeyRaceReport(seed, rounds, _operations, _aborts, api.Vault.FaultsInjected + api.Table.Injected - faultsBefore, _repaired, _inconsistencies);
    }

    private async Task RoundAsync(int round, RaceUser[] users)
    {
        _trace.Clear();
        // A start that is not empty: some users already have keys and a step.
        foreach (var user in users.Where(_ => _random.Next(3) > 0))
        {
            await SendAsync(user, 0, Save(user, Providers[_random.Next(Providers.Length)]), CancellationToken.None);
        }

        var operations = new List<Task>();
        var watchers = new List<Task>();
        foreach (var user in users)
        {
            InjectFaults(user);
            for (var i = 0; i < 3; i++)
            {
                var instance = _random.Next(api.Servers.Count);
                var request = NextRequest(user);
                var abort = new CancellationTokenSource();
                if (_random.Next(10) < 3)
                {
                    watchers.Add(AbortAtAsync(user, abort));
                }

                operations.Add(RunOperationAsync(round, user, instance, request, abort));
            }
        }

        await Task.WhenAll(operations).WaitAsync(TimeSpan.FromSeconds(120));
        api.Vault.DropHolds();
        api.Table.Clear();
        api.Vault.ClearFaults();
        await Task.WhenAll(watchers.Select(w => Task.WhenAny(w, Task.CompletedTask)));
        await api.SettledAsync().WaitAsync(TimeSpan.FromSeconds(120));

        foreach (var user in users)
        {
            await CheckAsync(round, user, users.Where(u => u != user));
        }
    }

    private async Task RunOperationAsync(int round, RaceUser user, int instance, Func<HttpRequestMessage> request, CancellationTokenSource abort)
    {
        Interlocked.Increment(ref _operations);
        using (abort)
        {
            using var message = request();
            var what = $"{user.Subject[..7]} {message.Method} {message.RequestUri} on {instance}";
            try
            {
                var status = await SendAsync(user, instance, () => message, abort.Token);
                _trace.Enqueue($"{what}: {status}");
                if (status >= 500 && status != 503)
                {
                    lock (_inconsistencies)
                    {
                        _inconsistencies.Add($"round {round}: a request answered {status}");
                    }
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                // The client gave up; the server finishes or undoes on its own.
                _trace.Enqueue($"{what}: aborted");
            }
        }
    }

    /// <summary>Holds the user's next side effect of a random kind; when a request reaches it, the client is cancelled.</summary>
    private async Task AbortAtAsync(RaceUser user, CancellationTokenSource abort)
    {
        var afterLanding = _random.Next(2) == 0;
        Task reached;
        Action release;
        if (api.UsesVault && _random.Next(3) > 0)
        {
            var operation = new[] { KeyVaultOperation.SetSecret, KeyVaultOperation.DeleteSecret, KeyVaultOperation.GetSecret }[_random.Next(3)];
            var hold = api.Vault.Hold(r => r.SecretName?.StartsWith($"u-{user.UserKey}-", StringComparison.OrdinalIgnoreCase) == true && r.Operation == operation, afterLanding);
            (reached, release) = (hold.Reached, hold.Release);
        }
        else
        {
            var kind = _random.Next(3);
            var hold = api.Table.Hold(r => r.Touches(user.UserKey) && kind switch
            {
                0 => r.IsTransaction,
                1 => r.Path.Contains("keylease", StringComparison.Ordinal) || r.Body.Contains("keylease", StringComparison.Ordinal),
                _ => r.IsSecretStore || r.Method == "GET",
            }, afterLanding);
            (reached, release) = (hold.Reached, hold.Release);
        }

        await reached;
        Interlocked.Increment(ref _aborts);
        _trace.Enqueue($"{user.Subject[..7]} abort at a held request");
        try
        {
            await abort.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The request had already finished.
        }

        release();
    }

    private void InjectFaults(RaceUser user)
    {
        if (_random.Next(10) < 4)
        {
            var afterLanding = _random.Next(2) == 0;
            var times = _random.Next(1, 4);
            var kind = _random.Next(3);
            api.Table.Fail(r => r.Touches(user.UserKey) && kind switch
            {
                0 => r.IsTransaction,
                1 => r.Path.Contains("keylease", StringComparison.Ordinal),
                _ => r.IsSecretStore,
            }, times, afterLanding);
            _trace.Enqueue($"{user.Subject[..7]} table fault kind {kind} x{times}{(afterLanding ? " after landing" : "")}");
        }

        if (api.UsesVault && _random.Next(10) < 4)
        {
            KeyVaultFault[] faults =
            [
                KeyVaultFault.ServiceUnavailable(), KeyVaultFault.Throttled(), KeyVaultFault.ConnectionFailure(),
                KeyVaultFault.Conflict("SomethingElse"), KeyVaultFault.ServiceUnavailable() with { LandsFirst = true },
            ];
            var fault = faults[_random.Next(faults.Length)];
            var operation = new[] { KeyVaultOperation.SetSecret, KeyVaultOperation.DeleteSecret, KeyVaultOperation.GetSecret, KeyVaultOperation.ListSecretVersions }[_random.Next(4)];
            var times = _random.Next(1, 4);
            api.Vault.InjectFault(fault, r => r.SecretName?.StartsWith($"u-{user.UserKey}-", StringComparison.OrdinalIgnoreCase) == true && r.Operation == operation, times);
            _trace.Enqueue($"{user.Subject[..7]} vault fault {(int)fault.Status}{(fault.LandsFirst ? " after landing" : "")} on {operation} x{times}");
        }
    }

    private Func<HttpRequestMessage> NextRequest(RaceUser user)
    {
        var provider = Providers[_random.Next(Providers.Length)];
        return _random.Next(8) switch
        {
            0 or 1 => Save(user, provider),
            2 => () => new HttpRequestMessage(HttpMethod.Delete, $"api/onboarding/api-keys/{provider}"),
            3 => StepOneWithKey(user, provider),
            4 => () => new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2") { Content = Infrastructure.Http.Json(new { website = "https://race.example" }) },
            5 => () => new HttpRequestMessage(HttpMethod.Post, _random.Next(2) == 0 ? "api/onboarding/reset" : "api/onboarding/reset?hard=true"),
            6 => () => new HttpRequestMessage(HttpMethod.Post, "api/onboarding/step/1/complete") { Content = Infrastructure.Http.Json(new { data = new { } }) },
            _ => () => new HttpRequestMessage(HttpMethod.Delete, "api/me"),
        };
    }

    private Func<HttpRequestMessage> Save(RaceUser user, string provider)
    {
        var key = Remember(user, provider);
        return () => new HttpRequestMessage(HttpMethod.Post, "api/onboarding/api-keys") { Content = Infrastructure.Http.Json(new { provider, api_key = key }) };
    }

    private Func<HttpRequestMessage> StepOneWithKey(RaceUser user, string provider)
    {
        var key = Remember(user, provider);
        var body = new JsonObject { ["data"] = new JsonObject { ["api_keys"] = new JsonObject { [provider] = key } } };
        return () => new HttpRequestMessage(HttpMethod.Post, "api/onboarding/step/1/complete") { Content = Infrastructure.Http.Json(body.ToJsonString()) };
    }

    private string Remember(RaceUser user, string provider)
    {
        var key = Keys.New(provider);
        _sent.GetOrAdd((user.UserKey, provider), _ => []).Add(key);
        return key;
    }

    private static async Task<int> SendAsync(RaceUser user, int instance, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var message = request();
        using var response = await user.Clients[instance].SendAsync(message, cancellationToken);
        return (int)response.StatusCode;
    }

    private async Task CheckAsync(int round, RaceUser user, IEnumerable<RaceUser> others)
    {
        var state = await api.ReadAsync(user);
        var found = state.Violations(excused: state.Pending).ToList();
        if (state.Pending.Count > 0)
        {
            // A double failure left providers pending: the next key operation must repair them.
            _repaired += state.Pending.Count;
            await SendAsync(user, 1, () => new HttpRequestMessage(HttpMethod.Delete, "api/onboarding/api-keys/serper"), CancellationToken.None);
            await api.SettledAsync();
            state = await api.ReadAsync(user);
            found = [.. state.Violations()];
            if (state.Pending.Count > 0)
            {
                found.Add($"still pending after a key operation: {string.Join(", ", state.Pending)}");
            }
        }

        // Every stored value is one this user sent for that provider: nothing of another user's.
        foreach (var (name, values) in state.Secrets)
        {
            var provider = name[(name.LastIndexOf('-') + 1)..];
            var mine = _sent.TryGetValue((user.UserKey, provider), out var sent) ? sent : [];
            found.AddRange(values.Where(v => !mine.Contains(v)).Select(v => $"secret {provider} holds {ProviderCatalog.Mask(v)}, which this user never sent"));
        }

        foreach (var other in others)
        {
            if ((await api.ReadAsync(other)).Secrets.Keys.Any(k => k.Contains(user.UserKey, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add("another user's state names this user's secret");
            }
        }

        // A listed required key counts for step 1 only when it resolves (checked above); a missing one never does.
        var completed = await SendAsync(user, 1, () => new HttpRequestMessage(HttpMethod.Post, "api/onboarding/step/1/complete") { Content = Infrastructure.Http.Json(new { data = new { } }) }, CancellationToken.None);
        var listed = state.Index.ContainsKey("openai");
        if ((completed == (int)HttpStatusCode.OK) != listed)
        {
            found.Add($"step 1 with openai {(listed ? "listed" : "not listed")} answered {completed}");
        }

        await api.SettledAsync();
        if (found.Count > 0 && Environment.GetEnvironmentVariable("ONBOARDING_RACE_VERBOSE") == "1")
        {
            found.Add("log: " + string.Join(" | ", api.Logs.Messages(user.UserKey)));
        }

        lock (_inconsistencies)
        {
            _inconsistencies.AddRange(found.Select(f => $"round {round}, {user.Subject}: {f} (round: {string.Join("; ", _trace)})"));
        }
    }
}

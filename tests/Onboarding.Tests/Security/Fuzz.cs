using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// The operations of the isolation fuzz. Each one predicts its status code from the acting user's model alone, sends the
/// request (often with identity hints naming another user), checks the status, and applies the change to the model.
/// </summary>
internal sealed class Fuzz(Random random, IReadOnlyList<FuzzUser> users)
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly string[] Providers = ["openai", "anthropic", "gemini", "tavily", "exa"];

    public int Succeeded { get; private set; }

    public int Refused { get; private set; }

    /// <summary>Runs one random operation and returns what it did, for failure messages.</summary>
    public async Task<string> StepAsync(int index)
    {
        var actor = users[random.Next(users.Count)];
        var victim = users.Where(u => u != actor).ElementAt(random.Next(users.Count - 1));
        var marker = $"{actor.Name}-op{index}";
        var spoof = random.Next(2) == 0;
        var roll = random.Next(100);
        return roll switch
        {
            < 25 => await CompleteAsync(actor, victim, marker, spoof),
            < 40 => await SaveDraftAsync(actor, victim, marker, spoof),
            < 47 => await SkipAsync(actor, victim, spoof),
            < 58 => await SaveKeyAsync(actor, victim, spoof),
            < 62 => await SaveKeyWithIdentityFieldAsync(actor, victim),
            < 69 => await DeleteKeyAsync(actor, victim, spoof),
            < 75 => await ResetAsync(actor, victim, spoof),
            < 81 => await FinishAsync(actor, victim, spoof),
            < 84 => await EraseAsync(actor, victim, spoof),
            < 88 => await StartAsync(actor, victim, spoof),
            _ => await ReadAsync(actor, victim),
        };
    }

    private async Task<string> CompleteAsync(FuzzUser actor, FuzzUser victim, string marker, bool spoof)
    {
        var next = Enumerable.Range(1, 6).FirstOrDefault(s => !actor.IsDone(s));
        var step = random.Next(10) < 6 && next != 0 ? next : random.Next(1, 7);
        var data = NewData(actor, victim, step, marker, spoof);
        var expected = step == 6
            ? (actor.CanFinish ? HttpStatusCode.OK : HttpStatusCode.Conflict)
            : Enumerable.Range(1, step - 1).Any(s => !actor.IsDone(s)) ? HttpStatusCode.Conflict
            : data.ValidToComplete ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
        var description = $"{actor.Name} completes step {step} ({(data.ValidToComplete ? "valid" : "invalid")} data{Spoofed(spoof, victim)}) expecting {(int)expected}";

        await SendAsync(actor, victim, spoof, HttpMethod.Post, $"api/onboarding/step/{step}/complete", new JsonObject { ["data"] = data.Body }, expected, description);
        if (expected == HttpStatusCode.OK)
        {
            actor.Status[step - 1] = "completed";
            Store(actor, step, data);
            actor.Completed |= step == 6;
        }

        return description;
    }

    private async Task<string> SaveDraftAsync(FuzzUser actor, FuzzUser victim, string marker, bool spoof)
    {
        var step = random.Next(1, 7);
        var data = NewData(actor, victim, step, marker, spoof);
        var expected = data.ValidAsDraft ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
        var description = $"{actor.Name} saves a draft of step {step}{Spoofed(spoof, victim)} expecting {(int)expected}";

        await SendAsync(actor, victim, spoof, HttpMethod.Put, $"api/onboarding/step/{step}", data.Body, expected, description);
        if (expected == HttpStatusCode.OK)
        {
            Store(actor, step, data);
        }

        return description;
    }

    private async Task<string> SkipAsync(FuzzUser actor, FuzzUser victim, bool spoof)
    {
        var step = random.Next(10) < 7 ? 5 : random.Next(1, 7);
        var expected = step != 5 ? HttpStatusCode.BadRequest
            : Enumerable.Range(1, 4).Any(s => !actor.IsDone(s)) ? HttpStatusCode.Conflict
            : HttpStatusCode.OK;
        var description = $"{actor.Name} skips step {step}{Spoofed(spoof, victim)} expecting {(int)expected}";

        await SendAsync(actor, victim, spoof, HttpMethod.Post, $"api/onboarding/step/{step}/skip", null, expected, description);
        if (expected == HttpStatusCode.OK)
        {
            actor.Status[4] = "skipped";
        }

        return description;
    }

    private async Task<string> SaveKeyAsync(FuzzUser actor, FuzzUser victim, bool spoof)
    {
        var provider = Providers[random.Next(Providers.Length)];
        var valid = random.Next(10) > 0;
        var key = valid ? NewKey(provider) : "not-a-key-" + Text(8);
        var expected = valid ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
        var description = $"{actor.Name} saves a {(valid ? "valid" : "malformed")} {provider} key{Spoofed(spoof, victim)} expecting {(int)expected}";

        var body = new JsonObject { ["provider"] = provider, ["api_key"] = key };
        if (random.Next(3) == 0)
        {
            body["description"] = "for " + actor.Name;
        }

        await SendAsync(actor, victim, spoof, HttpMethod.Post, "api/onboarding/api-keys", body, expected, description);
        if (valid)
        {
            actor.Keys[provider] = key;
        }

        return description;
    }

    private async Task<string> SaveKeyWithIdentityFieldAsync(FuzzUser actor, FuzzUser victim)
    {
        var provider = Providers[random.Next(Providers.Length)];
        var field = random.Next(2) == 0 ? "user_id" : "session_id";
        var description = $"{actor.Name} saves a {provider} key with {field} = {victim.Name}'s id in the body, expecting 400";
        var body = new JsonObject { ["provider"] = provider, ["api_key"] = NewKey(provider), [field] = victim.UserKey };

        await SendAsync(actor, victim, spoof: true, HttpMethod.Post, "api/onboarding/api-keys", body, HttpStatusCode.BadRequest, description);
        return description;
    }

    private async Task<string> DeleteKeyAsync(FuzzUser actor, FuzzUser victim, bool spoof)
    {
        // Mostly a provider the victim has, so a misrouted delete would show.
        var provider = victim.Keys.Count > 0 && random.Next(2) == 0 ? victim.Keys.Keys.ElementAt(random.Next(victim.Keys.Count)) : Providers[random.Next(Providers.Length)];
        var description = $"{actor.Name} deletes the {provider} key{Spoofed(spoof, victim)} expecting 204";

        await SendAsync(actor, victim, spoof, HttpMethod.Delete, $"api/onboarding/api-keys/{provider}", null, HttpStatusCode.NoContent, description);
        actor.Keys.Remove(provider);
        return description;
    }

    private async Task<string> ResetAsync(FuzzUser actor, FuzzUser victim, bool spoof)
    {
        var hard = random.Next(2) == 0;
        var description = $"{actor.Name} resets{(hard ? " hard" : string.Empty)}{Spoofed(spoof, victim)} expecting 200";

        await SendAsync(actor, victim, spoof, HttpMethod.Post, $"api/onboarding/reset?hard={(hard ? "true" : "false")}", null, HttpStatusCode.OK, description);
        actor.Reset(hard);
        return description;
    }

    private async Task<string> FinishAsync(FuzzUser actor, FuzzUser victim, bool spoof)
    {
        var expected = actor.CanCompleteOnboarding ? HttpStatusCode.OK : HttpStatusCode.Conflict;
        var description = $"{actor.Name} finishes onboarding{Spoofed(spoof, victim)} expecting {(int)expected}";

        await SendAsync(actor, victim, spoof, HttpMethod.Post, "api/onboarding/complete", null, expected, description);
        if (expected == HttpStatusCode.OK)
        {
            actor.Status[5] = "completed";
            actor.Completed = true;
        }

        return description;
    }

    private async Task<string> EraseAsync(FuzzUser actor, FuzzUser victim, bool spoof)
    {
        var description = $"{actor.Name} erases all their data{Spoofed(spoof, victim)} expecting 204";
        await SendAsync(actor, victim, spoof, HttpMethod.Delete, "api/me", null, HttpStatusCode.NoContent, description);
        actor.Erase();
        return description;
    }

    private async Task<string> StartAsync(FuzzUser actor, FuzzUser victim, bool spoof)
    {
        var description = $"{actor.Name} starts onboarding{Spoofed(spoof, victim)} expecting 200";
        await SendAsync(actor, victim, spoof, HttpMethod.Post, "api/onboarding/start", null, HttpStatusCode.OK, description);
        return description;
    }

    private async Task<string> ReadAsync(FuzzUser actor, FuzzUser victim)
    {
        var description = $"{actor.Name} reads init{Spoofed(true, victim)}";
        var init = await SendAsync(actor, victim, spoof: true, HttpMethod.Get, "api/onboarding/init", null, HttpStatusCode.OK, description);
        IsolationFuzzTests.AssertView(actor, init, description);
        return description;
    }

    /// <summary>Sends as <paramref name="actor"/>; with <paramref name="spoof"/> the headers and query name <paramref name="victim"/>.</summary>
    private async Task<JsonNode> SendAsync(FuzzUser actor, FuzzUser victim, bool spoof, HttpMethod method, string path, JsonNode? body, HttpStatusCode expected, string description)
    {
        if (spoof)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"user_id={victim.UserKey}&session_id={victim.UserKey}&customer_id={victim.Subject}";
        }

        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Infrastructure.Http.Json(body.ToJsonString());
        }

        if (spoof)
        {
            request.Headers.Add("X-User-ID", victim.UserKey);
            request.Headers.Add("X-Customer-ID", victim.Subject);
            request.Headers.Add("X-Session-ID", victim.UserKey);
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ID", victim.Subject);
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-IDP", victim.Issuer);
            request.Headers.Add("X-Forwarded-User", victim.Subject);
        }

        using var response = await actor.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{description}: got {(int)response.StatusCode} {text}");
        if (expected is HttpStatusCode.OK or HttpStatusCode.NoContent)
        {
            Succeeded++;
        }
        else
        {
            Refused++;
        }

        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>What the model stores for a successful write of <paramref name="step"/>.</summary>
    private static void Store(FuzzUser actor, int step, StepBody data)
    {
        var stored = data.Body.DeepClone().AsObject();
        stored.Remove("api_keys");
        if (step == 1)
        {
            // Step 1 never stores a value that passes a provider's key format; a 32-hex user key passes Mistral's.
            foreach (var (name, value) in stored.ToArray())
            {
                if (value is JsonValue text && text.TryGetValue<string>(out var s) && global::Onboarding.Core.ApiKeys.ProviderCatalog.LooksLikeKey(s))
                {
                    stored.Remove(name);
                }
            }
        }

        actor.Data[step - 1] = stored;
        foreach (var (provider, key) in data.NewKeys)
        {
            actor.Keys[provider] = key;
        }
    }

    /// <summary>Random data for a step, valid or not, sometimes carrying identity fields that name the victim.</summary>
    private StepBody NewData(FuzzUser actor, FuzzUser victim, int step, string marker, bool spoof)
    {
        var valid = random.Next(10) < 8;
        var body = new JsonObject();
        var keys = new Dictionary<string, string>();
        bool asDraft = true, toComplete = true;
        switch (step)
        {
            case 1:
                body["note"] = marker;
                if (!valid)
                {
                    body["api_keys"] = new JsonObject { ["openai"] = "bad-" + marker };
                    asDraft = toComplete = false;
                }
                else if (random.Next(2) == 0)
                {
                    var provider = Providers[random.Next(Providers.Length)];
                    keys[provider] = NewKey(provider);
                    body["api_keys"] = new JsonObject { [provider] = keys[provider] };
                }

                toComplete = toComplete && actor.Keys.Count + keys.Count > 0;
                break;
            case 2:
                body["website"] = valid ? $"https://{marker}.example" : $"not a url {marker}";
                body["analysis"] = new JsonObject { ["tone"] = marker };
                asDraft = toComplete = valid;
                break;
            case 3:
                body[valid ? "researchSummary" : "notes"] = marker;
                toComplete = valid;
                break;
            case 4:
                body["corePersona"] = new JsonObject { ["identity"] = valid ? marker : string.Empty };
                body["platformPersonas"] = new JsonObject { ["linkedin"] = new JsonObject { ["tone"] = marker } };
                toComplete = valid;
                break;
            default:
                body["note"] = marker;
                break;
        }

        if (spoof)
        {
            // Identity fields inside the client's own data are just data: stored as sent, never read as identity.
            body["user_id"] = victim.UserKey;
            body["session_id"] = victim.UserKey;
        }

        return new StepBody(body, asDraft, toComplete, keys);
    }

    private string NewKey(string provider) => provider switch
    {
        "openai" => "sk-" + Text(32),
        "anthropic" => "sk-ant-" + Text(32),
        "gemini" => "AIza" + Text(35),
        "tavily" => "tvly-" + Text(24),
        _ => new Guid(Bytes(16)).ToString(),
    };

    private string Text(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(Alphanumeric[random.Next(Alphanumeric.Length)]);
        }

        return text.ToString();
    }

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Spoofed(bool spoof, FuzzUser victim) => spoof ? $", spoofing {victim.Name}" : string.Empty;

    private sealed record StepBody(JsonObject Body, bool ValidAsDraft, bool ValidToComplete, Dictionary<string, string> NewKeys);
}

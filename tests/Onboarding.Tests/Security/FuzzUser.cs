using System.Text.Json.Nodes;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;

namespace Onboarding.Tests.Security;

/// <summary>
/// One user of the isolation fuzz and the model of what that user alone has done: per-step status and data, the
/// provider keys (raw, to check the secret store, and as the hint every view must show) and whether onboarding is finished.
/// </summary>
public sealed class FuzzUser : IDisposable
{
    public FuzzUser(string name, IApiHost server, TestIssuer issuer, string subject)
    {
        Name = name;
        Server = server;
        Issuer = issuer.Authority;
        Subject = subject;
        UserKey = CurrentUser.DeriveUserKey(issuer.Authority, subject);
        Client = server.WithToken(issuer.Mint(subject, d => d.Expires = DateTime.UtcNow.AddHours(1)));
    }

    public string Name { get; }

    public IApiHost Server { get; }

    public string Issuer { get; }

    public string Subject { get; }

    public string UserKey { get; }

    public HttpClient Client { get; }

    /// <summary>"pending", "completed" or "skipped" for steps 1–6 (index 0 is step 1).</summary>
    public string[] Status { get; } = Fresh();

    /// <summary>Stored data per step, as the client sent it (step 1 without its api_keys); null when there is no row.</summary>
    public JsonObject?[] Data { get; } = new JsonObject?[6];

    /// <summary>Raw provider keys this user stored, by provider.</summary>
    public SortedDictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public bool Completed { get; set; }

    public static string Mask(string key) => "****" + key[^4..];

    public bool IsDone(int step) => Status[step - 1] is "completed" or "skipped";

    /// <summary>Steps 1–5 completed, or skipped where that is allowed (only step 5 can be).</summary>
    public bool CanFinish => Enumerable.Range(1, 5).All(IsDone);

    /// <summary>The required steps 1–4 completed: what <c>POST onboarding/complete</c> needs (step 5 is optional).</summary>
    public bool CanCompleteOnboarding => Enumerable.Range(1, 4).All(s => Status[s - 1] == "completed");

    public void Reset(bool hard)
    {
        Fresh().CopyTo(Status, 0);
        Completed = false;
        if (hard)
        {
            Array.Clear(Data);
        }
    }

    public void Erase()
    {
        Reset(hard: true);
        Keys.Clear();
    }

    /// <summary>Step <paramref name="step"/>'s data as every view must show it (step 1 gets the masked keys merged in).</summary>
    public JsonObject? ExpectedView(int step)
    {
        var data = Data[step - 1]?.DeepClone().AsObject();
        if (step != 1)
        {
            return data;
        }

        data ??= [];
        var keys = new JsonObject();
        foreach (var (provider, key) in Keys)
        {
            keys[provider] = Mask(key);
        }

        data["api_keys"] = keys;
        return data;
    }

    public void Dispose() => Client.Dispose();

    public override string ToString() => $"{Name} ({Subject} @ {Issuer})";

    private static string[] Fresh() => ["pending", "pending", "pending", "pending", "pending", "pending"];
}

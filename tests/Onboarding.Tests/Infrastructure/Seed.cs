using System.Net;

namespace Onboarding.Tests.Infrastructure;

/// <summary>Puts a user into a known, non-trivial state: a stored key, a completed step and a draft with an ETag.</summary>
public static class Seed
{
    /// <summary>Step 1 completed with the OpenAI key, step 2 saved as a draft. Returns the draft's ETag.</summary>
    public static async Task<string> StartedUserAsync(HttpClient client)
    {
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        var draft = await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://seed.example", notes = "draft" });
        await draft.ExpectAsync(HttpStatusCode.OK);
        return draft.Headers.ETag?.ToString() ?? throw new InvalidOperationException("A saved draft must have an ETag.");
    }
}

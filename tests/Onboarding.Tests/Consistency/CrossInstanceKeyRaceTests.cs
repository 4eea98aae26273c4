using System.Net;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Consistency;

/// <summary>
/// One user, two instances, and the second request released while the first is inside its Key Vault write (its secret
/// stored, its index row not yet committed). Each interleaving is forced with holds on the fake vault and waited on
/// through events: the second request has either finished or is waiting for the user's key lease.
/// </summary>
public sealed class CrossInstanceKeyRaceTests(TwoVaultInstances api) : IClassFixture<TwoVaultInstances>
{
    [Fact]
    public async Task Two_saves_of_one_provider_on_two_instances_leave_the_listing_and_the_secret_agreeing()
    {
        var user = api.NewUser();
        await RaceWithHeldWriteAsync(
            user,
            first: c => c.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() }),
            second: c => c.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() }),
            expected: [HttpStatusCode.OK, HttpStatusCode.OK]);

        var state = await api.ReadAsync(user);
        Assert.Empty(state.Violations());
        Assert.Single(state.Index);
    }

    [Fact]
    public async Task Erasing_on_one_instance_while_a_key_is_saved_on_the_other_leaves_no_secret_without_a_row()
    {
        var user = api.NewUser();
        await RaceWithHeldWriteAsync(
            user,
            first: c => c.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() }),
            second: c => c.DeleteAsync("api/me"),
            expected: [HttpStatusCode.OK, HttpStatusCode.NoContent]);

        Assert.Empty((await api.ReadAsync(user)).Violations());
    }

    [Fact]
    public async Task Deleting_on_one_instance_while_the_key_is_replaced_on_the_other_never_lists_a_missing_secret()
    {
        var user = api.NewUser();
        await (await user.Clients[0].PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() })).ExpectAsync(HttpStatusCode.OK);

        await RaceWithHeldWriteAsync(
            user,
            first: c => c.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() }),
            second: c => c.DeleteAsync("api/onboarding/api-keys/openai"),
            expected: [HttpStatusCode.OK, HttpStatusCode.NoContent]);

        var state = await api.ReadAsync(user);
        Assert.Empty(state.Violations());

        // Whatever is listed must satisfy step 1's required provider only if its secret is there (checked above).
        var completed = await user.Clients[1].PostJsonAsync("api/onboarding/step/1/complete", new { data = new { } });
        Assert.Equal(state.Index.ContainsKey("openai") ? HttpStatusCode.OK : HttpStatusCode.BadRequest, completed.StatusCode);
    }

    /// <summary>
    /// Sends <paramref name="first"/> to instance 0 and holds its vault write once it has landed; then sends
    /// <paramref name="second"/> to instance 1 and waits until it has finished or is waiting for the key lease; then lets
    /// the first go and waits until both servers are idle.
    /// </summary>
    private async Task RaceWithHeldWriteAsync(RaceUser user, Func<HttpClient, Task<HttpResponseMessage>> first, Func<HttpClient, Task<HttpResponseMessage>> second, HttpStatusCode[] expected)
    {
        var held = api.Vault.Hold(r => r.SecretName == user.SecretName("openai") && r.Operation == KeyVaultOperation.SetSecret, afterLanding: true);
        var one = first(user.Clients[0]);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        var two = second(user.Clients[1]);
        await Task.WhenAny(two, api.Logs.WhenLoggedAsync($"Waiting for the key-operation lease of user {user.UserKey}")).WaitAsync(TimeSpan.FromSeconds(30));
        held.Release();

        var answers = await Task.WhenAll(one, two).WaitAsync(TimeSpan.FromSeconds(60));
        await api.SettledAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(expected, answers.Select(a => a.StatusCode));
    }
}

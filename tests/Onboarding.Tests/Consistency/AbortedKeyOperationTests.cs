using System.Net;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Consistency;

/// <summary>
/// The client gives up after the server has started a side effect (its vault call is held, the client's request is
/// cancelled, the server sees the abort, then the vault call goes on). Once the server is idle the work is finished or
/// undone: nothing is half-done. Events only: the held call, the server's abort, the server's last request ending.
/// </summary>
public sealed class AbortedKeyOperationTests(TwoVaultInstances api) : IClassFixture<TwoVaultInstances>
{
    [Fact]
    public async Task An_erasure_the_client_aborts_during_its_first_secret_delete_still_erases_everything()
    {
        var user = api.NewUser();
        await (await user.Clients[0].PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() })).ExpectAsync(HttpStatusCode.OK);
        await (await user.Clients[0].PostJsonAsync("api/onboarding/api-keys", new { provider = "tavily", api_key = Keys.New("tavily") })).ExpectAsync(HttpStatusCode.OK);
        await (await user.Clients[0].PutJsonAsync("api/onboarding/step/3", new { researchSummary = "kept until erased" })).ExpectAsync(HttpStatusCode.OK);

        await AbortDuringAsync(user, KeyVaultOperation.DeleteSecret, "openai", afterLanding: false, (c, ct) => c.DeleteAsync("api/me", ct));

        var state = await api.ReadAsync(user);
        Assert.Empty(state.Violations());
        Assert.Equal(0, state.Rows);
        Assert.Empty(state.Secrets);
    }

    [Fact]
    public async Task A_key_delete_the_client_aborts_before_the_secret_delete_still_deletes_the_secret()
    {
        var user = api.NewUser();
        await (await user.Clients[0].PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() })).ExpectAsync(HttpStatusCode.OK);

        await AbortDuringAsync(user, KeyVaultOperation.DeleteSecret, "openai", afterLanding: false, (c, ct) => c.DeleteAsync("api/onboarding/api-keys/openai", ct));

        var state = await api.ReadAsync(user);
        Assert.Empty(state.Violations());
        Assert.Empty(state.Index);
    }

    [Fact]
    public async Task A_replace_the_client_aborts_after_the_new_secret_landed_is_finished_or_undone_never_half_done()
    {
        var user = api.NewUser();
        await (await user.Clients[0].PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() })).ExpectAsync(HttpStatusCode.OK);

        await AbortDuringAsync(user, KeyVaultOperation.SetSecret, "openai", afterLanding: true, (c, ct) => c.PostAsync("api/onboarding/api-keys", Infrastructure.Http.Json(new { provider = "openai", api_key = Keys.New() }), ct));

        var state = await api.ReadAsync(user);
        Assert.Empty(state.Violations());
        Assert.Single(state.Index);
    }

    [Fact]
    public async Task A_secret_write_that_landed_but_whose_answer_was_lost_is_undone_when_the_request_fails()
    {
        var user = api.NewUser();
        api.Vault.InjectFault(KeyVaultFault.ServiceUnavailable() with { LandsFirst = true }, r => r.SecretName == user.SecretName("openai") && r.Operation == KeyVaultOperation.SetSecret);
        try
        {
            var response = await user.Clients[0].PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Keys.New() });
            await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            api.Vault.ClearFaults();
        }

        var state = await api.ReadAsync(user);
        Assert.Empty(state.Violations());
        Assert.Empty(state.Index);
        Assert.Empty(state.Secrets);
    }

    private async Task AbortDuringAsync(RaceUser user, KeyVaultOperation operation, string provider, bool afterLanding, Func<HttpClient, CancellationToken, Task<HttpResponseMessage>> send)
    {
        var server = api.Trackers[0];
        var aborts = server.Aborts;
        var held = api.Vault.Hold(r => r.SecretName == user.SecretName(provider) && r.Operation == operation, afterLanding);
        using var client = new CancellationTokenSource();
        var request = send(user.Clients[0], client.Token);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await server.WhenAbortedAsync(aborts + 1).WaitAsync(TimeSpan.FromSeconds(30));
        held.Release();
        await api.SettledAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }
}

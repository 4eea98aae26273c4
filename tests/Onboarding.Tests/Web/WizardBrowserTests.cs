using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Onboarding.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Onboarding.Tests.Web;

/// <summary>
/// The demo wizard in a real Chromium against a real Development Server and Azurite: every click goes through the
/// page's JavaScript, the bearer middleware, Core and Table Storage.
/// </summary>
public sealed class WizardBrowserTests(DevelopmentServerFixture fixture, ITestOutputHelper output) : IClassFixture<DevelopmentServerFixture>
{
    private readonly List<string> _problems = [];
    private readonly string _screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots", nameof(WizardBrowserTests));

    [Fact]
    public async Task A_user_clicks_through_the_wizard_resumes_after_a_reload_and_a_second_user_starts_fresh()
    {
        var ct = TestContext.Current.CancellationToken;
        var chromium = await Chromium.LocateAsync(ct);
        if (chromium.Path is null)
        {
            Assert.Skip("No Chromium to drive: " + chromium.Reason);
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // Expectations wait for their condition; the bound only ends a hung page, so it is generous for a starved machine.
        SetDefaultExpectTimeout(120_000);
        Directory.CreateDirectory(_screenshots);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium.Path,
            Args = Chromium.Args,
            Headless = true,
            Timeout = 60_000,
        });

        var alice = "alice_" + Guid.NewGuid().ToString("N")[..8];
        var bob = "bob_" + Guid.NewGuid().ToString("N")[..8];
        await using var aliceContext = await NewContextAsync(browser);
        var page = await NewPageAsync(aliceContext);

        // Sign in with a development token: a fresh user starts at step 1 of 6.
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeHiddenAsync();
        await SignInAsync(page, alice);
        await ExpectStepAsync(page, 1, "AI LLM Providers", "Step 1 of 6 · 0% complete");
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Onboarding progress" })).ToHaveAttributeAsync("aria-valuenow", "0");
        await ShotAsync(page, "01-step-1-api-keys");

        // Step 1: the key goes to the secret store; the page only ever shows it masked again.
        await page.GetByLabel("OpenAI API key").FillAsync(StepData.OpenAiKey);
        await SaveAndContinueAsync(page);
        await ExpectStepAsync(page, 2, "Website Analysis", "Step 2 of 6 · 17% complete");

        // Step 2: the server's ProblemDetails are shown, the detail and the field error next to its field.
        await page.GetByLabel("Website URL").FillAsync("not a website");
        await SaveAndContinueAsync(page);
        var problem = page.GetByRole(AriaRole.Alert);
        await Expect(problem).ToContainTextAsync("is not valid");
        await Expect(problem).ToContainTextAsync("Website URL: The website must be an absolute http or https URL");
        await Expect(page.GetByLabel("Website URL")).ToHaveAttributeAsync("aria-invalid", "true");
        await ExpectStepAsync(page, 2, "Website Analysis", "Step 2 of 6 · 17% complete");
        await ShotAsync(page, "02-step-2-problem-details");

        await page.GetByLabel("Website URL").FillAsync("https://example.com");
        await page.GetByLabel("What is the site about?").FillAsync("Recipes for busy people");
        await SaveAndContinueAsync(page);
        await ExpectStepAsync(page, 3, "AI Research", "Step 3 of 6 · 33% complete");
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();

        // Step 3: research preferences.
        await page.GetByLabel("Research depth").SelectOptionAsync("comprehensive");
        await page.GetByLabel("Newsletters").CheckAsync();
        await page.GetByLabel("Competitor websites").FillAsync("https://rival.example\nhttps://other.example");
        await SaveAndContinueAsync(page);
        await ExpectStepAsync(page, 4, "Personalization", "Step 4 of 6 · 50% complete");

        // A reload keeps nothing but the token in the tab: the wizard resumes from the server's state.
        await page.ReloadAsync();
        await ExpectStepAsync(page, 4, "Personalization", "Step 4 of 6 · 50% complete");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "1. AI LLM Providers" })).ToBeEnabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "5. Integrations" })).ToBeDisabledAsync();
        await ShotAsync(page, "03-step-4-after-reload");

        // Another user in another browser context (own session storage) gets a fresh wizard, not Alice's.
        await using (var bobContext = await NewContextAsync(browser))
        {
            var bobPage = await NewPageAsync(bobContext);
            await bobPage.GotoAsync("/");
            await Expect(bobPage.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await SignInAsync(bobPage, bob);
            await ExpectStepAsync(bobPage, 1, "AI LLM Providers", "Step 1 of 6 · 0% complete");
            await Expect(bobPage.GetByText("No API keys saved yet.")).ToBeVisibleAsync();
            await Expect(bobPage.GetByText("****mnop")).ToHaveCountAsync(0);
            await ShotAsync(bobPage, "04-second-user-fresh-wizard");
        }

        // Earlier steps can be revisited: step 1 shows the saved key masked, prefilled from the server.
        await page.GetByRole(AriaRole.Button, new() { Name = "1. AI LLM Providers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Step 1: AI LLM Providers" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Saved API keys" })).ToContainTextAsync("****mnop");
        await Expect(page.GetByLabel("OpenAI API key")).ToHaveAttributeAsync("placeholder", "Saved: ****mnop");
        await page.GetByRole(AriaRole.Button, new() { Name = "4. Personalization" }).ClickAsync();

        // Step 4: the persona needs a platform; the server says so.
        await ExpectStepAsync(page, 4, "Personalization", "Step 4 of 6 · 50% complete");
        await page.GetByLabel("Persona identity").FillAsync("A friendly chef who cooks fast");
        await page.GetByLabel("Tone of voice").FillAsync("Warm and direct");
        await SaveAndContinueAsync(page);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Platform personas: Add at least one platform persona.");
        await page.GetByLabel("LinkedIn").CheckAsync();
        await page.GetByLabel("Blog", new() { Exact = true }).CheckAsync();
        await SaveAndContinueAsync(page);
        await ExpectStepAsync(page, 5, "Integrations", "Step 5 of 6 · 67% complete");

        // Step 5 is optional.
        await page.GetByRole(AriaRole.Button, new() { Name = "Skip this step" }).ClickAsync();
        await ExpectStepAsync(page, 6, "Finish", "Step 6 of 6 · 83% complete");

        // Step 6: the review, keys masked; the raw key is nowhere on the page.
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Saved API keys" })).ToContainTextAsync("****mnop");
        await Expect(page.GetByText("https://example.com", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("A friendly chef who cooks fast")).ToBeVisibleAsync();
        Assert.DoesNotContain(StepData.OpenAiKey, await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "05-step-6-review");

        await page.GetByRole(AriaRole.Button, new() { Name = "Finish onboarding" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Onboarding complete" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Onboarding complete · 100%")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Onboarding progress" })).ToHaveAttributeAsync("aria-valuenow", "100");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Onboarding complete" })).ToBeVisibleAsync();
        await ShotAsync(page, "06-complete");

        // Signing out forgets the token: a reload shows the sign-in form, not Alice's wizard.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Signed in as")).ToBeHiddenAsync();

        // The server agrees: Alice is done and Bob has not started a single step.
        await ExpectServerStateAsync(alice, completed: true, currentStep: 6, ct);
        await ExpectServerStateAsync(bob, completed: false, currentStep: 1, ct);
        Assert.True(_problems.Count == 0, "The page had problems:\n" + string.Join("\n", _problems));
    }

    private async Task<IBrowserContext> NewContextAsync(IBrowser browser)
        => await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
            ReducedMotion = ReducedMotion.Reduce, // no progress-bar animation half-way through a screenshot
        });

    /// <summary>A page that records script errors and any request that leaves the Server's origin (the demo makes none).</summary>
    private async Task<IPage> NewPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        var origin = fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        page.PageError += (_, error) => _problems.Add("script error: " + error);
        page.Console += (_, message) =>
        {
            // Chromium logs every 4xx answer as a console error; those are the API's expected answers here.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _problems.Add("console error: " + message.Text);
            }
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                _problems.Add("request to another origin: " + request.Url);
            }
        };
        return page;
    }

    private static async Task SignInAsync(IPage page, string user)
    {
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText($"Signed in as {user}")).ToBeVisibleAsync();
    }

    private static Task SaveAndContinueAsync(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();

    private static async Task ExpectStepAsync(IPage page, int step, string title, string progress)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Step {step}: {title}" })).ToBeVisibleAsync();
        await Expect(page.GetByText(progress, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Steps" }).Locator("[aria-current=step]")).ToHaveTextAsync(StepLabel(step));
    }

    private static Regex StepLabel(int step) => new($"^{step}\\. ");

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(_screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>Reads the user's state straight from the API with a fresh development token for the same user.</summary>
    private async Task ExpectServerStateAsync(string user, bool completed, int currentStep, CancellationToken ct)
    {
        using var anonymous = fixture.Server.Client();
        var token = await (await anonymous.PostJsonAsync("dev/token", new { user })).ExpectAsync(HttpStatusCode.OK);
        using var client = fixture.Server.WithToken(token["access_token"]!.GetValue<string>());
        var status = await (await client.GetAsync("api/onboarding/status", ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(completed, status["is_completed"]!.GetValue<bool>());
        Assert.Equal(currentStep, status["current_step"]!.GetValue<int>());
    }
}

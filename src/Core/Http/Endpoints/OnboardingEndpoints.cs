using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>
/// The wizard's HTTP handlers, typed: both hosts run them inside the protected-route frame, and they hold no
/// host-specific code. Handlers that answer a plain <see cref="IResult"/> (problems of several kinds) are described by
/// their route.
/// </summary>
public sealed class OnboardingEndpoints(OnboardingService service, OnboardingRules rules)
{
    public async Task<Ok<InitView>> Init(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok(ViewBuilder.Init(rules, user, await service.ReadAsync(user, cancellationToken)));

    public async Task<Ok<StatusView>> Status(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok(ViewBuilder.Status(rules, (await service.ReadAsync(user, cancellationToken)).Progress));

    public async Task<Ok<ProgressView>> Progress(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok(ViewBuilder.Progress(rules, await service.ReadAsync(user, cancellationToken)));

    public Ok<ConfigView> Config() => TypedResults.Ok(ViewBuilder.Config(rules));

    public async Task<Ok<SummaryView>> Summary(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok(ViewBuilder.Summary(rules, await service.ReadAsync(user, cancellationToken)));

    /// <summary>Step 2 as the frontend's final step reads it.</summary>
    public async Task<Ok<WebsiteAnalysisView>> WebsiteAnalysis(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok(ViewBuilder.WebsiteAnalysis(await service.ReadAsync(user, cancellationToken)));

    /// <summary>Step 3's research preferences with the defaults the frontend shows; an empty object before step 3 has data.</summary>
    public async Task<Ok<JsonObject>> ResearchPreferences(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok((await service.ReadAsync(user, cancellationToken)).DataOf(StepCatalog.Research) is { } research ? SummaryDefaults.Research(research) : new JsonObject());

    public async Task<Results<Ok<StepView>, ProblemHttpResult>> GetStep(CurrentUser user, string step, HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(response);
        if (!StepCatalog.TryParse(step, out var number))
        {
            return UnknownStep(step);
        }

        var snapshot = await service.ReadAsync(user, cancellationToken);
        if (snapshot.Steps.TryGetValue(number, out var stored))
        {
            response.Headers.ETag = stored.ETag;
        }

        return TypedResults.Ok(ViewBuilder.Step(rules, snapshot, number));
    }

    public async Task<IResult> SaveStep(
        CurrentUser user, string step, string? ifMatchHeader, JsonRequest<JsonObject> request, HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (!StepCatalog.TryParse(step, out var number))
        {
            return UnknownStep(step);
        }

        // Parsed, not passed through: "a", "b" on one line is two values, and anything but an entity tag is refused
        // here rather than by the table.
        IList<EntityTagHeaderValue>? ifMatch = null;
        if (ifMatchHeader is not null
            && (!EntityTagHeaderValue.TryParseStrictList(new StringValues(ifMatchHeader), out ifMatch) || ifMatch.Count != 1))
        {
            return Problems.BadRequest("Send at most one If-Match value, an entity tag from a previous response or *.", "invalid-if-match", "The If-Match header is invalid.");
        }

        var body = await request.ReadObjectAsync(cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (body.Value is null)
        {
            return Problems.BadRequest("Send the step's data as a JSON object.", "invalid-json", "The request body is not valid JSON.");
        }

        var saved = await service.SaveDraftAsync(user, number, body.Value, ifMatch?[0].ToString(), cancellationToken);
        if (saved.Problem is not null)
        {
            return Problems.For(saved.Problem);
        }

        if (saved.Value!.ETag is { } etag)
        {
            response.Headers.ETag = etag;
        }

        var view = ViewBuilder.Step(rules, saved.Value.Snapshot, number);
        return TypedResults.Ok(new StepSavedView($"Step {number} saved.", number, view.Data, view.Status));
    }

    public async Task<IResult> CompleteStep(
        CurrentUser user, string step, JsonRequest<StepCompletionRequest> request, HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (!StepCatalog.TryParse(step, out var number))
        {
            return UnknownStep(step);
        }

        var body = await request.ReadObjectAsync(cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var (data, problem) = CompletionData(body.Value);
        if (problem is not null)
        {
            return problem;
        }

        var saved = await service.CompleteStepAsync(user, number, data, cancellationToken);
        if (saved.Problem is not null)
        {
            return Problems.For(saved.Problem);
        }

        if (saved.Value!.ETag is { } etag)
        {
            response.Headers.ETag = etag;
        }

        var view = ViewBuilder.Step(rules, saved.Value.Snapshot, number);
        return TypedResults.Ok(new StepCompletedView($"Step {number} completed.", number, view.Data, saved.Value.Warnings));
    }

    public async Task<IResult> SkipStep(CurrentUser user, string step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!StepCatalog.TryParse(step, out var number))
        {
            return UnknownStep(step);
        }

        var skipped = await service.SkipStepAsync(user, number, cancellationToken);
        return skipped.Problem is { } rejected ? Problems.For(rejected) : TypedResults.Ok(new StepSavedView($"Step {number} skipped.", number, null, "skipped"));
    }

    public async Task<IResult> Start(CurrentUser user, CancellationToken cancellationToken)
    {
        var started = await service.StartAsync(user, cancellationToken);
        return started.Problem is { } rejected ? Problems.For(rejected) : TypedResults.Ok(ViewBuilder.Status(rules, started.Value!.Progress));
    }

    public async Task<Ok<ResumeView>> Resume(CurrentUser user, CancellationToken cancellationToken)
    {
        var snapshot = await service.ReadAsync(user, cancellationToken);
        var p = snapshot.Progress;
        var resumeAt = p.IsCompleted ? rules.FinishStep : p.NextStep ?? rules.FinishStep;
        return TypedResults.Ok(new ResumeView(
            p.IsCompleted ? "Onboarding is complete." : $"Resume at step {resumeAt}.",
            p.CurrentStep, p.NextStep, p.CompletionPercentage, p.IsCompleted, ViewBuilder.Step(rules, snapshot, resumeAt)));
    }

    /// <summary><paramref name="hardValue"/> is the raw query value (repeated ones joined): anything but true or false is this route's 400.</summary>
    public async Task<IResult> Reset(CurrentUser user, string? hardValue, CancellationToken cancellationToken)
    {
        var hard = false;
        if (hardValue is not null && !bool.TryParse(hardValue, out hard))
        {
            return Problems.BadRequest("The 'hard' query parameter must be true or false.", "invalid-query", "A query parameter is invalid.");
        }

        var reset = await service.ResetAsync(user, hard, cancellationToken);
        return reset.Problem is { } rejected ? Problems.For(rejected) : TypedResults.Ok(new ResetView(hard ? "Onboarding reset; step data removed." : "Onboarding reset.", hard, ViewBuilder.Progress(rules, reset.Value!)));
    }

    public async Task<IResult> Complete(CurrentUser user, CancellationToken cancellationToken)
    {
        var finished = await service.FinishAsync(user, cancellationToken);
        if (finished.Problem is not null)
        {
            return Problems.For(finished.Problem);
        }

        var p = finished.Value!.Progress;
        return TypedResults.Ok(new FinishedView("Onboarding completed.", p.CompletedAt, p.CompletionPercentage));
    }

    /// <summary>The completion body is <c>{ data?, validation_errors? }</c>; anything else is refused.</summary>
    private static (JsonObject? Data, IResult? Problem) CompletionData(JsonObject? body)
    {
        if (body is null)
        {
            return (null, null);
        }

        foreach (var (name, _) in body)
        {
            if (name is not ("data" or "validation_errors"))
            {
                return (null, Problems.Validation(
                    new Dictionary<string, string[]> { [name] = ["This field is not accepted here; send the step's fields inside 'data'."] },
                    $"Unknown field '{(name.Length > 32 ? name[..32] : name)}' in the request body."));
            }
        }

        // The client's own validation messages: accepted for compatibility, but only in the shape the frontend sends.
        if (body["validation_errors"] is { } reported && (reported is not JsonArray list || list.Any(e => e?.GetValueKind() != JsonValueKind.String)))
        {
            return (null, Problems.Validation(
                new Dictionary<string, string[]> { ["validation_errors"] = ["'validation_errors' must be an array of strings."] },
                "'validation_errors' must be an array of strings."));
        }

        return body["data"] switch
        {
            null => (null, null),
            JsonObject data => (Detach(body, data), null),
            var other when other.GetValueKind() == JsonValueKind.Null => (null, null),
            _ => (null, Problems.Validation(new Dictionary<string, string[]> { ["data"] = ["'data' must be a JSON object."] }, "'data' must be a JSON object.")),
        };
    }

    /// <summary>The request's own object, taken out of the body that holds it instead of copied.</summary>
    private static JsonObject Detach(JsonObject body, JsonObject data)
    {
        body.Remove("data");
        return data;
    }

    private static ProblemHttpResult UnknownStep(string step)
        => Problems.NotFound($"Unknown step '{(step.Length > 16 ? step[..16] : step)}'. Steps are numbered 1 to {StepCatalog.Count}.", "unknown-step", "Unknown step.");
}

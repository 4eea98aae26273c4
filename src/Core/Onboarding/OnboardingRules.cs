using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Core.Onboarding;

/// <summary>One step as this deployment configures it.</summary>
public sealed record ConfiguredStep(int Number, string Id, string Title, string Description, bool Required, bool Skippable, StepSchema Schema);

/// <summary>
/// The effective wizard rules: <see cref="OnboardingOptions"/> over its profile and the built-in steps. Built and
/// checked once at start-up (<see cref="OnboardingOptionsValidator"/> reports what is wrong, naming the setting).
/// </summary>
public sealed class OnboardingRules
{
    private readonly ConfiguredStep[] _steps;

    private OnboardingRules(ConfiguredStep[] steps, bool enforceOrder, int minimumApiKeys, IReadOnlyList<string> requiredProviders, int finishStep)
    {
        _steps = steps;
        EnforceOrder = enforceOrder;
        MinimumApiKeys = minimumApiKeys;
        RequiredProviders = requiredProviders;
        FinishStep = finishStep;
    }

    public OnboardingRules(IOptions<OnboardingOptions> options, IOptions<SecretsOptions> secrets)
        : this(FromValidated(Build(options.Value, secrets.Value.RequiredProviders, out var problems), problems))
    {
    }

    private OnboardingRules(OnboardingRules built)
        : this(built._steps, built.EnforceOrder, built.MinimumApiKeys, built.RequiredProviders, built.FinishStep)
    {
    }

    public IReadOnlyList<ConfiguredStep> Steps => _steps;

    public bool EnforceOrder { get; }

    public int MinimumApiKeys { get; }

    public IReadOnlyList<string> RequiredProviders { get; }

    /// <summary>The step whose completion finishes onboarding.</summary>
    public int FinishStep { get; }

    public ConfiguredStep Get(int number) => _steps[number - 1];

    /// <summary>The rules of <paramref name="options"/>, or null with every problem found (each names its setting).</summary>
    public static OnboardingRules? Build(OnboardingOptions options, IEnumerable<string> secretsRequiredProviders, out List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(secretsRequiredProviders);
        problems = [];
        var strict = options.Profile == OnboardingProfile.Strict;
        const string Section = OnboardingOptions.SectionName;

        var overrides = new Dictionary<int, (StepOptions Step, int Index)>();
        for (var i = 0; i < options.Steps.Count; i++)
        {
            var step = options.Steps[i];
            if (step.Number is < 1 or > StepCatalog.Count)
            {
                problems.Add($"{Section}:Steps:{i}:Number is {step.Number}; steps are numbered 1 to {StepCatalog.Count}.");
            }
            else if (overrides.TryGetValue(step.Number, out var first))
            {
                problems.Add($"{Section}:Steps:{i}:Number {step.Number} is already used by {Section}:Steps:{first.Index}; each step number may appear once.");
            }
            else
            {
                overrides[step.Number] = (step, i);
            }
        }

        if (options.FinishStep is < 1 or > StepCatalog.Count)
        {
            problems.Add($"{Section}:FinishStep is {options.FinishStep}; it must be one of the steps, 1 to {StepCatalog.Count}.");
        }

        if (options.MinimumApiKeys is < 0 or > 10)
        {
            problems.Add($"{Section}:MinimumApiKeys is {options.MinimumApiKeys}; it must be between 0 and 10.");
        }

        var requiredProviders = options.RequiredProviders.Concat(secretsRequiredProviders).Distinct(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < options.RequiredProviders.Count; i++)
        {
            if (ProviderCatalog.Find(options.RequiredProviders[i]) is null)
            {
                problems.Add($"{Section}:RequiredProviders:{i} names an unknown provider; supported: {string.Join(", ", ProviderCatalog.All.Select(p => p.Name))}.");
            }
        }

        var steps = new List<ConfiguredStep>();
        foreach (var builtIn in StepCatalog.Steps)
        {
            var (configured, index) = overrides.TryGetValue(builtIn.Number, out var o) ? o : (new StepOptions { Number = builtIn.Number }, -1);
            var setting = index < 0 ? $"{Section}:Steps (step {builtIn.Number})" : $"{Section}:Steps:{index}";
            var required = configured.Required ?? (strict || builtIn.Required);
            var skippable = configured.Skippable ?? !required;
            if (required && configured.Skippable == true)
            {
                problems.Add($"{setting}:Skippable is true but the step is required; a required step cannot be skipped.");
            }

            if (required && builtIn.Number > options.FinishStep && options.FinishStep is >= 1 and <= StepCatalog.Count)
            {
                problems.Add($"{setting}:Required is true but step {builtIn.Number} comes after the finish step ({Section}:FinishStep = {options.FinishStep}); steps after it must be optional.");
            }

            var text = string.IsNullOrWhiteSpace(configured.Schema) ? DefaultStepSchemas.For(builtIn.Number) : configured.Schema;
            var schema = StepSchema.TryBuild(builtIn.Number, text, out var schemaProblem);
            if (schema is null)
            {
                problems.Add($"{setting}:Schema {schemaProblem}.");
                continue;
            }

            steps.Add(new ConfiguredStep(
                builtIn.Number,
                string.IsNullOrWhiteSpace(configured.Id) ? builtIn.Id : configured.Id.Trim(),
                string.IsNullOrWhiteSpace(configured.Title) ? builtIn.Title : configured.Title.Trim(),
                string.IsNullOrWhiteSpace(configured.Description) ? builtIn.Description : configured.Description.Trim(),
                required && builtIn.Number <= options.FinishStep,
                skippable && !required,
                schema));
        }

        var ids = steps.GroupBy(s => s.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (ids.Length > 0)
        {
            problems.Add($"{Section}:Steps uses the id '{ids[0]}' for more than one step; ids must be unique.");
        }

        return problems.Count > 0
            ? null
            : new OnboardingRules(steps.ToArray(), options.EnforceOrder ?? strict, options.MinimumApiKeys ?? (strict ? 1 : 0), requiredProviders, options.FinishStep);
    }

    /// <summary>Every required step before the finish step is completed (an optional one may be pending or skipped).</summary>
    public IReadOnlyList<int> MissingBeforeFinish(ProgressState progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return progress.Steps
            .Where(s => s.Number < FinishStep && Get(s.Number).Required && s.Status != StepStatus.Completed)
            .Select(s => s.Number).ToArray();
    }

    public bool CanProceedToFinal(ProgressState progress) => MissingBeforeFinish(progress).Count == 0;

    private static OnboardingRules FromValidated(OnboardingRules? rules, List<string> problems)
        => rules ?? throw new OptionsValidationException(OnboardingOptions.SectionName, typeof(OnboardingOptions), problems);
}

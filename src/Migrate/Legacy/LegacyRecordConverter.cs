using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;
using Onboarding.Migrate.Migration;

namespace Onboarding.Migrate.Legacy;

/// <summary>
/// Maps the legacy format onto the service's model. Statuses: completed and skipped stay; in_progress and pending
/// become pending, their data kept as a draft. Keys come from step 1's <c>data.api_keys</c> and a top-level
/// <c>api_keys</c>, and leave the step data. Any problem keeps the whole record out (nothing partial is written).
/// Timestamps without an offset (Python's <c>isoformat()</c>) are taken as UTC.
/// </summary>
internal static partial class LegacyRecordConverter
{
    private const string ApiKeysField = StepValidator.ApiKeysField;

    public static ConvertedRecord Convert(LegacyRecord legacy, DateTimeOffset migratedAt)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        return new Conversion(legacy).Run(migratedAt);
    }

    private sealed partial class Conversion(LegacyRecord legacy)
    {
        private readonly List<MigrationProblem> _problems = [];
        private readonly List<string> _warnings = [];
        private readonly Dictionary<string, LegacyKey> _keys = new(StringComparer.Ordinal);
        private readonly StepProgress[] _steps = StepCatalog.Steps.Select(s => StepProgress.Fresh(s.Number)).ToArray();
        private readonly Dictionary<int, JsonObject> _data = [];
        private readonly HashSet<int> _seen = [];
        private int _stepCount;
        private int _keyCount;

        private JsonObject Record => legacy.Record;

        public ConvertedRecord Run(DateTimeOffset migratedAt)
        {
            var startedAt = Time("started_at");
            var lastUpdated = Time("last_updated");
            var completedAt = Time("completed_at");
            var isCompleted = Flag("is_completed");
            ReadSteps();
            if (Record["api_keys"] is { } topLevelKeys)
            {
                ReadKeys(topLevelKeys, JsonPaths.Property(legacy.Path, "api_keys"));
            }

            var progress = new ProgressState(_steps, startedAt, lastUpdated ?? migratedAt, null);
            progress = Finish(progress, isCompleted, completedAt, lastUpdated ?? migratedAt);

            return new ConvertedRecord
            {
                Progress = progress,
                Steps = _data,
                Keys = _keys.Values.OrderBy(k => k.Provider.Name, StringComparer.Ordinal).ToArray(),
                StepCount = _stepCount,
                KeyCount = _keyCount,
                SourceHash = Hash(Record),
                Problems = _problems,
                Warnings = _warnings,
            };
        }

        /// <summary>
        /// The legacy app let "finish" be called directly, so a finished record may have required steps undone. The
        /// service does not allow that state: such a record is migrated as not finished, with a warning.
        /// </summary>
        private ProgressState Finish(ProgressState progress, bool isCompleted, DateTimeOffset? completedAt, DateTimeOffset fallback)
        {
            var finish = progress.Step(StepCatalog.Finish);
            if (!isCompleted && finish.Status != StepStatus.Completed)
            {
                return progress;
            }

            if (progress.CanProceedToFinal)
            {
                var at = finish.CompletedAt ?? completedAt ?? fallback;
                var steps = progress.Steps.ToArray();
                steps[StepCatalog.Finish - 1] = new StepProgress(StepCatalog.Finish, StepStatus.Completed, at, finish.UpdatedAt ?? at);
                return progress with { Steps = steps, CompletedAt = completedAt ?? at };
            }

            var missing = progress.Steps.Where(s => s.Number < StepCatalog.Finish
                    && !(s.Status == StepStatus.Completed || (s.Status == StepStatus.Skipped && !StepCatalog.Get(s.Number).Required)))
                .Select(s => s.Number.ToString(CultureInfo.InvariantCulture));
            _warnings.Add($"The legacy record says onboarding was finished, but step(s) {string.Join(", ", missing)} are not done; it is migrated as not finished.");
            if (finish.Status == StepStatus.Completed)
            {
                var steps = progress.Steps.ToArray();
                steps[StepCatalog.Finish - 1] = StepProgress.Fresh(StepCatalog.Finish);
                return progress with { Steps = steps };
            }

            return progress;
        }

        private void ReadSteps()
        {
            var path = JsonPaths.Property(legacy.Path, "steps");
            switch (Record["steps"])
            {
                case null:
                    return;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        ReadStep(array[i], JsonPaths.Index(path, i));
                    }

                    return;
                default:
                    Problem(path, "'steps' must be an array of steps.");
                    return;
            }
        }

        private void ReadStep(JsonNode? node, string path)
        {
            _stepCount++;
            if (node is not JsonObject step)
            {
                Problem(path, "A step must be a JSON object.");
                return;
            }

            var numberPath = JsonPaths.Property(path, "step_number");
            if (step["step_number"] is not JsonValue numberValue
                || numberValue.GetValueKind() != JsonValueKind.Number
                || !numberValue.TryGetValue<int>(out var number)
                || number is < 1 or > StepCatalog.Count)
            {
                Problem(numberPath, $"Unknown step {Shorten(step["step_number"])}: steps are numbered 1 to {StepCatalog.Count}.");
                return;
            }

            if (!_seen.Add(number))
            {
                Problem(numberPath, $"Step {number} appears more than once.");
                return;
            }

            var status = Status(step["status"], JsonPaths.Property(path, "status"));
            var completedAt = Time(step, "completed_at", JsonPaths.Property(path, "completed_at"));
            var dataPath = JsonPaths.Property(path, "data");
            switch (step["data"])
            {
                case null:
                    break;
                case JsonObject data:
                    var stored = (JsonObject)data.DeepClone();
                    if (number == StepCatalog.ApiKeys && stored[ApiKeysField] is { } keys)
                    {
                        ReadKeys(keys, JsonPaths.Property(dataPath, ApiKeysField));
                        stored.Remove(ApiKeysField);
                    }

                    if (stored.ToJsonString().Length > OnboardingTable.MaxStepDataChars)
                    {
                        Problem(dataPath, $"Step data is limited to {OnboardingTable.MaxStepDataChars} characters of JSON.");
                    }

                    _data[number] = stored;
                    break;
                default:
                    Problem(dataPath, "A step's data must be a JSON object or null.");
                    break;
            }

            if (status is null)
            {
                return;
            }

            _steps[number - 1] = status switch
            {
                StepStatus.Completed => new StepProgress(number, StepStatus.Completed, completedAt, completedAt),
                StepStatus.Skipped => new StepProgress(number, StepStatus.Skipped, null, completedAt),
                _ => StepProgress.Fresh(number),
            };
        }

        private StepStatus? Status(JsonNode? node, string path)
        {
            if (node is null)
            {
                return StepStatus.Pending;
            }

            var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
            switch (text)
            {
                case "completed":
                    return StepStatus.Completed;
                case "skipped":
                    return StepStatus.Skipped;
                case "pending" or "in_progress":
                    return StepStatus.Pending;
                default:
                    Problem(path, $"Unknown status {Shorten(node)}: expected pending, in_progress, completed or skipped.");
                    return null;
            }
        }

        private void Problem(string path, string message) => _problems.Add(MigrationProblem.At(legacy.File, path, message));

        /// <summary>A value for an error message, cut short. Never called on an API key.</summary>
        private static string Shorten(JsonNode? node)
        {
            var text = node?.ToJsonString() ?? "(missing)";
            return text.Length <= 40 ? text : text[..40] + "…";
        }

        private static string Hash(JsonObject record)
            => System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(record.ToJsonString())));
    }
}

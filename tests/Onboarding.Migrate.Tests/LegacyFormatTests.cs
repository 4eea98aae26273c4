using Onboarding.Core.Onboarding;
using Onboarding.Migrate.Legacy;
using Onboarding.Migrate.Tests.Infrastructure;
using Onboarding.Migrate.Users;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>Reading the legacy files and the user map, without storage.</summary>
public sealed class LegacyFormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_single_record_belongs_to_the_user_in_the_file_name_or_else_to_legacy_user_1()
    {
        using var legacy = new LegacyWorkspace();
        var perUser = LegacyReader.Read(legacy.Write(".onboarding_progress_alice@example.com.json", LegacyData.JustStarted(LegacyKeys.OpenAi())));
        var shared = LegacyReader.Read(legacy.Write(".onboarding_progress.json", LegacyData.JustStarted(LegacyKeys.OpenAi())));
        var other = LegacyReader.Read(legacy.Write("export.json", LegacyData.JustStarted(LegacyKeys.OpenAi())));

        Assert.Equal("alice@example.com", perUser.Records.Single().LegacyId);
        Assert.Equal("1", shared.Records.Single().LegacyId);
        Assert.Equal("1", other.Records.Single().LegacyId);
        Assert.Equal("$", shared.Records.Single().Path);
    }

    [Fact]
    public void A_duplicate_property_makes_the_file_malformed_at_its_position()
    {
        using var legacy = new LegacyWorkspace();
        var file = LegacyReader.Read(legacy.Write(".onboarding_progress.json", "{\n  \"7\": {\"steps\": []},\n  \"7\": {\"steps\": []}\n}"));

        Assert.NotNull(file.Unreadable);
        Assert.Equal((3L, 3L), (file.Unreadable.Line, file.Unreadable.BytePosition));
        Assert.Contains("$['7'] appears twice", file.Unreadable.Message, StringComparison.Ordinal);
        Assert.Empty(file.Records);

        var nested = LegacyReader.Read(legacy.Write("nested.json", """{"1": {"steps": [{"step_number": 1}, {"status": "completed", "status": "skipped"}]}}"""));
        Assert.Contains("$['1'].steps[1].status appears twice", nested.Unreadable!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Completed_and_skipped_stay_and_in_progress_becomes_pending_with_its_data_kept_as_a_draft()
    {
        var record = Convert(LegacyData.InProgress(LegacyKeys.OpenAi(), LegacyKeys.Gemini()));

        Assert.True(record.IsValid, string.Join("; ", record.Problems));
        Assert.Equal([StepStatus.Completed, StepStatus.Completed, StepStatus.Completed, StepStatus.Pending, StepStatus.Pending, StepStatus.Pending],
            record.Progress.Steps.Select(s => s.Status));
        Assert.Equal("Draft persona", record.Steps[4]["corePersona"]!["identity"]!.GetValue<string>());
        Assert.False(record.Steps[1].ContainsKey("api_keys"));
        Assert.Equal(["gemini", "openai"], record.Keys.Select(k => k.Provider.Name));
        Assert.Equal(6, record.StepCount);
        Assert.Equal(2, record.KeyCount);
    }

    [Fact]
    public void A_finished_record_with_required_steps_undone_is_migrated_unfinished_with_a_warning()
    {
        var record = Convert("""{"steps":[{"step_number":1,"status":"completed"},{"step_number":6,"status":"completed"}],"is_completed":true}""");

        Assert.True(record.IsValid);
        Assert.Null(record.Progress.CompletedAt);
        Assert.Equal(StepStatus.Pending, record.Progress.Step(6).Status);
        Assert.Contains("2, 3, 4, 5", Assert.Single(record.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_statuses_dates_and_shapes_are_reported_by_json_path()
    {
        var record = Convert("""{"steps":[{"step_number":2,"status":"done","completed_at":"yesterday","data":[]},{"step_number":2},"x"],"api_keys":{"openai":42}}""");

        Assert.Equal(
            ["$.steps[0].status", "$.steps[0].completed_at", "$.steps[0].data", "$.steps[1].step_number", "$.steps[2]", "$.api_keys.openai"],
            record.Problems.Select(p => p.Path));
    }

    [Fact]
    public void The_same_key_in_step_one_and_at_the_top_level_counts_once_but_two_different_keys_are_refused()
    {
        var key = LegacyKeys.OpenAi();
        const string Template = """{"steps":[{"step_number":1,"status":"completed","data":{"api_keys":{"openai":"KEY1"}}}],"api_keys":{"OpenAI":"KEY2"}}""";
        var same = Convert(Template.Replace("KEY1", key, StringComparison.Ordinal).Replace("KEY2", key, StringComparison.Ordinal));
        var different = Convert(Template.Replace("KEY1", key, StringComparison.Ordinal).Replace("KEY2", LegacyKeys.OpenAi(), StringComparison.Ordinal));

        Assert.True(same.IsValid);
        Assert.Equal(1, same.KeyCount);
        Assert.Equal("$.api_keys.OpenAI", Assert.Single(different.Problems).Path);
    }

    [Fact]
    public void A_csv_map_may_quote_fields_and_leave_the_issuer_to_the_default()
    {
        using var legacy = new LegacyWorkspace();
        var path = legacy.Write("map.csv", "\uFEFFsubject,legacy_id,issuer\r\n\"user,with \"\"comma\"\"\",1,\r\nuser_2,2,https://other.example/\r\n\r\n");

        var map = UserMap.Load(path, "https://default.example");

        Assert.Equal(2, map.Count);
        Assert.Equal(("https://default.example", "user,with \"comma\""), (map.Find("1")!.Issuer, map.Find("1")!.Subject));
        Assert.Equal("https://other.example/", map.Find("2")!.Issuer);
    }

    [Fact]
    public void A_json_map_may_be_an_array_or_an_object_of_entries_or_subjects()
    {
        using var legacy = new LegacyWorkspace();
        var array = UserMap.Load(legacy.Write("a.json", """[{"legacy_id": 1, "issuer": "https://a.example", "subject": "s1"}, {"legacy_id": "2", "subject": "s2"}]"""), "https://d.example");
        var obj = UserMap.Load(legacy.Write("o.json", """{"1": {"issuer": "https://a.example", "subject": "s1"}, "2": "s2"}"""), "https://d.example");

        foreach (var map in new[] { array, obj })
        {
            Assert.Equal(("https://a.example", "s1"), (map.Find("1")!.Issuer, map.Find("1")!.Subject));
            Assert.Equal(("https://d.example", "s2"), (map.Find("2")!.Issuer, map.Find("2")!.Subject));
        }
    }

    [Fact]
    public void A_map_entry_with_an_issuer_that_is_not_a_url_is_refused_with_its_position()
    {
        using var legacy = new LegacyWorkspace();
        var path = legacy.Write("m.json", """[{"legacy_id": "1", "issuer": "clerk", "subject": "s1"}]""");

        var error = Assert.Throws<UserMapException>(() => UserMap.Load(path, null));

        Assert.Contains("$[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("absolute https URL", error.Message, StringComparison.Ordinal);
    }

    private static ConvertedRecord Convert(string json)
        => LegacyRecordConverter.Convert(new LegacyRecord("f.json", "1", "$", (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(json)!), Now);
}

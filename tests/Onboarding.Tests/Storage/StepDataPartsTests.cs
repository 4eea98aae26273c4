using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Onboarding.Core.Storage;
using Xunit;

namespace Onboarding.Tests.Storage;

/// <summary>Step data larger than one string property is split over several and must come back exactly as it was.</summary>
public sealed class StepDataPartsTests
{
    private const string UserKey = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(10)]
    [InlineData(EntityMapper.MaxCharsPerProperty)]
    [InlineData(EntityMapper.MaxCharsPerProperty + 1)]
    [InlineData(60 * 1024)]
    [InlineData(EntityMapper.MaxStepDataChars - 100)]
    public void Step_data_split_over_properties_reads_back_as_the_same_json(int chars)
    {
        var data = new JsonObject { ["text"] = "é😀<&>" + new string('x', chars), ["n"] = 1.50, ["list"] = new JsonArray(1, "two", null) };
        var json = EntityMapper.Serialize(data);

        var row = EntityMapper.FromStep(UserKey, 4, json, DateTimeOffset.UnixEpoch);
        var read = EntityMapper.ToSnapshot([row]).Steps[4].Data;

        Assert.Equal((json.Length + EntityMapper.MaxCharsPerProperty - 1) / EntityMapper.MaxCharsPerProperty, row.GetInt32("DataParts"));
        Assert.Equal(json, EntityMapper.Serialize(read));
    }

    [Fact]
    public void A_surrogate_pair_split_between_two_properties_is_joined_again()
    {
        // Serialize escapes non-ASCII text, but rows written by other tools may hold it raw; a part may end mid-pair.
        var row = new TableEntity(UserKey, "step-4")
        {
            ["Data0"] = "{\"text\":\"ab\ud83d",
            ["Data1"] = "\ude00cd\"}",
            ["DataParts"] = 2,
        };

        var read = EntityMapper.ToSnapshot([row]).Steps[4].Data;

        Assert.Equal("ab😀cd", read["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_step_row_without_data_reads_as_an_empty_object()
    {
        var read = EntityMapper.ToSnapshot([new TableEntity(UserKey, "step-4") { ["DataParts"] = 0 }]).Steps[4].Data;

        Assert.Empty(read);
    }
}

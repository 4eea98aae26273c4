using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;

namespace Onboarding.Benchmarks;

/// <summary>
/// A 60 KiB step payload through <see cref="EntityMapper"/>: serialized and split over string properties (each at most
/// 64 KiB of UTF-16), and joined and parsed back, each against the plain System.Text.Json call it wraps.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class StepDataBenchmarks
{
    public const int PayloadChars = 60 * 1024;

    private const string UserKey = "0123456789abcdef0123456789abcdef";
    private JsonObject _data = null!;
    private string _json = null!;
    private TableEntity[] _rows = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = Payload(PayloadChars);
        _json = EntityMapper.Serialize(_data);
        var row = EntityMapper.FromStep(UserKey, StepCatalog.Persona, _json, DateTimeOffset.UtcNow);
        row.ETag = new Azure.ETag("W/\"datetime'2025-01-01T00%3A00%3A00.0000000Z'\"");
        _rows = [row];
        if (row.GetInt32("DataParts") < 2)
        {
            throw new InvalidOperationException("The payload should span several properties.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonObject.ToJsonString")]
    [BenchmarkCategory("write")]
    public string SerializeOnly() => EntityMapper.Serialize(_data);

    [Benchmark(Description = "EntityMapper: serialize + split into properties")]
    [BenchmarkCategory("write")]
    public TableEntity SerializeAndSplit() => EntityMapper.FromStep(UserKey, StepCatalog.Persona, EntityMapper.Serialize(_data), DateTimeOffset.UnixEpoch);

    [Benchmark(Baseline = true, Description = "JsonNode.Parse")]
    [BenchmarkCategory("read")]
    public JsonNode? ParseOnly() => JsonNode.Parse(_json);

    /// <summary>A snapshot parses a step's data when it is first read, so the benchmark reads it.</summary>
    [Benchmark(Description = "EntityMapper: join properties + parse")]
    [BenchmarkCategory("read")]
    public JsonObject JoinAndParse() => EntityMapper.ToSnapshot(_rows).Steps[StepCatalog.Persona].Data;

    /// <summary>A persona-like document of about <paramref name="chars"/> characters of JSON, some of it non-ASCII.</summary>
    public static JsonObject Payload(int chars)
    {
        var platforms = new JsonObject();
        var data = new JsonObject
        {
            ["corePersona"] = new JsonObject { ["identity"] = "Helpful expert", ["traits"] = new JsonArray("clear", "warm", "précis") },
            ["platformPersonas"] = platforms,
        };
        for (var i = 0; data.ToJsonString(JsonSerializerOptions.Default).Length < chars; i++)
        {
            platforms[$"platform{i}"] = new JsonObject
            {
                ["tone"] = "professional",
                ["length"] = 280 + i,
                ["notes"] = $"Write for readers of platform {i}: short sentences, concrete examples, café-level warmth. ",
                ["examples"] = new JsonArray($"Example {i}.1", $"Example {i}.2", true, 1.5),
            };
        }

        return data;
    }
}

using System.Text.Json.Nodes;

namespace Onboarding.Migrate.Legacy;

/// <summary>One user's record as the legacy backend stored it, with where it was found.</summary>
/// <param name="File">The file, as given on the command line or found in the folder.</param>
/// <param name="LegacyId">The legacy user id: a key of a shared file, the file name's suffix, or "1".</param>
/// <param name="Path">JSON path of the record in its file: <c>$</c> for a single record, <c>$['42']</c> in a map.</param>
internal sealed record LegacyRecord(string File, string LegacyId, string Path, JsonObject Record);

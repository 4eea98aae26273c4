using System.Globalization;
using System.Runtime.InteropServices;

namespace Onboarding.ColdStart;

/// <summary>What the figures were measured on, and how busy it was: load averages and the hypervisor's steal so far.</summary>
internal readonly record struct MachineLoad(string LoadAverage, double StealSeconds, double TotalSeconds)
{
    public static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");

    public static MachineLoad Now()
    {
        try
        {
            var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
            // "cpu  user nice system idle iowait irq softirq steal ...", in 1/100 s.
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture) / 100.0).ToArray();
            return new MachineLoad(load, cpu.Length > 7 ? cpu[7] : 0, cpu.Take(8).Sum());
        }
        catch (IOException)
        {
            return new MachineLoad("n/a", 0, 0);
        }
    }

    /// <summary>The share of the cores' time the hypervisor took between two readings.</summary>
    public static string Steal(MachineLoad before, MachineLoad after) =>
        after.TotalSeconds > before.TotalSeconds
            ? ((after.StealSeconds - before.StealSeconds) * 100 / (after.TotalSeconds - before.TotalSeconds)).ToString("F1", CultureInfo.InvariantCulture) + "%"
            : "n/a";

    public override string ToString() => $"load average {LoadAverage}";
}

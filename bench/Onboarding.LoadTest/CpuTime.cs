using System.Diagnostics;
using System.Globalization;

namespace Onboarding.LoadTest;

/// <summary>
/// CPU time used so far by this process (Server, load generator and SDK calls) and by its child processes (Azurite's
/// node), so a phase can say where its CPU went. Children are read from /proc (Linux); elsewhere they count as zero.
/// </summary>
/// <remarks>
/// <see cref="Stolen"/> is the machine-wide time the hypervisor gave the VM's CPUs to someone else (/proc/stat "steal"):
/// on a shared VM it explains why the same run is slower at one time than at another.
/// </remarks>
internal readonly record struct CpuTime(TimeSpan Self, TimeSpan Children, TimeSpan Stolen, TimeSpan Worker = default)
{
    /// <summary>Linux reports process times in clock ticks of 1/100 s (USER_HZ).</summary>
    private const double TicksPerSecond = 100;

    public static CpuTime Now()
    {
        using var self = Process.GetCurrentProcess();
        var (children, worker) = ChildrenTime(Environment.ProcessId);
        return new CpuTime(self.TotalProcessorTime, children, StolenTime(), worker);
    }

    public static CpuTime operator -(CpuTime after, CpuTime before) => new(after.Self - before.Self, after.Children - before.Children, after.Stolen - before.Stolen, after.Worker - before.Worker);

    public static CpuTime operator +(CpuTime a, CpuTime b) => new(a.Self + b.Self, a.Children + b.Children, a.Stolen + b.Stolen, a.Worker + b.Worker);

    /// <summary>Children other than the Functions worker: Azurite's node.</summary>
    public TimeSpan Azurite => Children - Worker;

    private static TimeSpan StolenTime()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal ...": the eighth number of the first line.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 8 ? TimeSpan.FromSeconds(long.Parse(fields[8], CultureInfo.InvariantCulture) / TicksPerSecond) : TimeSpan.Zero;
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
        catch (UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>All children's CPU time, and that of the ones that run <c>dotnet</c> (the Functions worker, when there is one).</summary>
    private static (TimeSpan All, TimeSpan Dotnet) ChildrenTime(int pid)
    {
        var total = TimeSpan.Zero;
        var dotnet = TimeSpan.Zero;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
                    var stat = File.ReadAllText($"/proc/{child}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    var time = TimeSpan.FromSeconds(ticks / TicksPerSecond);
                    total += time;
                    if (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')] == "dotnet")
                    {
                        dotnet += time;
                    }
                }
            }
        }
        catch (IOException)
        {
            // Not Linux, or the child went away: no figure for it.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return (total, dotnet);
    }
}

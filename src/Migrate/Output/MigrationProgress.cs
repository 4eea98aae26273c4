using Spectre.Console;

namespace Onboarding.Migrate.Output;

/// <summary>
/// A progress bar on stderr while users are migrated (Spectre.Console's live progress), shown only when stderr is a
/// terminal, so logs, pipes and scripts never see it. <c>work</c> is given the callback to call after each user.
/// </summary>
internal static class MigrationProgress
{
    public static async Task<T> RunAsync<T>(IAnsiConsole? terminal, int total, Func<Action<string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (terminal is null || total == 0)
        {
            return await work(_ => { });
        }

        return await terminal.Progress()
            .AutoClear(true)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .StartAsync(async context =>
            {
                var task = context.AddTask("migrating", maxValue: total);
                return await work(label =>
                {
                    task.Increment(1);
                    task.Description = Markup.Escape(label);
                });
            });
    }
}

using Onboarding.Migrate;

return await MigrateCli.InvokeAsync(args, CliContext.FromProcess());

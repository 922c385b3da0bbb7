using ComponentCatalog.Cli;

return await CatalogCli.RunAsync(args, CliEnvironment.FromProcess());

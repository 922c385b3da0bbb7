using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Markdown;
using ComponentCatalog.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.AddCatalogStorage();
builder.AddComponentCatalog();
builder.AddMarkdown();
builder.AddMaintenance();

builder.UseMiddleware<CorrelationMiddleware>();
builder.UseMiddleware<ExceptionMiddleware>();

builder.Build().Run();

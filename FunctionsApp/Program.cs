using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Markdown;
using ComponentCatalog.Pages;
using ComponentCatalog.Security;
using ComponentCatalog.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.AddCatalogTelemetry();
builder.AddCatalogStorage();
builder.AddComponentCatalog();
builder.AddMarkdown();
builder.AddMaintenance();
builder.AddCatalogAuth();
builder.AddCatalogWeb();

builder.UseMiddleware<RequestLoggingMiddleware>();
builder.UseMiddleware<CorrelationMiddleware>();
builder.UseMiddleware<ExceptionMiddleware>();
builder.UseMiddleware<AuthMiddleware>();

builder.Build().Run();

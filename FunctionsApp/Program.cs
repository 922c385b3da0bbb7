using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Events;
using ComponentCatalog.Http;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Mcp;
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
builder.AddChangeEvents();
builder.AddCatalogAuth();
builder.AddCatalogWeb();
builder.AddCatalogMcp();

builder.UseMiddleware<RequestLoggingMiddleware>();
builder.UseMiddleware<CorrelationMiddleware>();
builder.UseMiddleware<ExceptionMiddleware>();
builder.UseMiddleware<AuthMiddleware>();

builder.Build().Run();

using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Security;
using ComponentCatalog.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.AddCatalogTelemetry();
builder.AddCatalogStorage();
builder.AddComponentCatalog();
builder.AddCatalogAuth();

builder.UseMiddleware<RequestLoggingMiddleware>();
builder.UseMiddleware<ExceptionMiddleware>();
builder.UseMiddleware<CorrelationMiddleware>();
builder.UseMiddleware<AuthMiddleware>();

builder.Build().Run();

using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.AddCatalogStorage();
builder.AddComponentCatalog();

builder.UseMiddleware<CorrelationMiddleware>();
builder.UseMiddleware<ExceptionMiddleware>();

builder.Build().Run();

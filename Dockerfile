# TomAlerts: build with the .NET SDK, run on the ASP.NET Core runtime with SQLite on a volume.
#   docker build -t tomalerts .
#   docker run -p 8080:8080 -v tomalerts-data:/app/App_Data tomalerts
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/TomAlerts.Web/TomAlerts.Web.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /app/App_Data && chown "$APP_UID" /app/App_Data
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Database__FileMode=640
VOLUME /app/App_Data
EXPOSE 8080
ENTRYPOINT ["dotnet", "TomAlerts.Web.dll"]

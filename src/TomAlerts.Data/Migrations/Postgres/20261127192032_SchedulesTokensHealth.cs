using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SchedulesTokensHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsNew",
                table: "RunAlerts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "NewAlertCount",
                table: "QueryRuns",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Scheduled",
                table: "QueryRuns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "AutoCreateTargets",
                table: "BrokerQueries",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "NotifyEmail",
                table: "BrokerQueries",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ScheduleCron",
                table: "BrokerQueries",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ScheduleMinutes",
                table: "BrokerQueries",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SchedulePaused",
                table: "BrokerQueries",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "WebhookSecret",
                table: "BrokerQueries",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WebhookUrl",
                table: "BrokerQueries",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastUsed = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Revoked = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BrokerCalls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Broker = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DurationMs = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: true),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    RateLimitRemaining = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BrokerCalls", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_AlertId",
                table: "RunAlerts",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_IsNew_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "IsNew", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_Hash",
                table: "ApiTokens",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_UserId",
                table: "ApiTokens",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_BrokerCalls_Broker_At",
                table: "BrokerCalls",
                columns: new[] { "Broker", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiTokens");

            migrationBuilder.DropTable(
                name: "BrokerCalls");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_AlertId",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_IsNew_Position",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "IsNew",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "NewAlertCount",
                table: "QueryRuns");

            migrationBuilder.DropColumn(
                name: "Scheduled",
                table: "QueryRuns");

            migrationBuilder.DropColumn(
                name: "AutoCreateTargets",
                table: "BrokerQueries");

            migrationBuilder.DropColumn(
                name: "NotifyEmail",
                table: "BrokerQueries");

            migrationBuilder.DropColumn(
                name: "ScheduleCron",
                table: "BrokerQueries");

            migrationBuilder.DropColumn(
                name: "ScheduleMinutes",
                table: "BrokerQueries");

            migrationBuilder.DropColumn(
                name: "SchedulePaused",
                table: "BrokerQueries");

            migrationBuilder.DropColumn(
                name: "WebhookSecret",
                table: "BrokerQueries");

            migrationBuilder.DropColumn(
                name: "WebhookUrl",
                table: "BrokerQueries");
        }
    }
}

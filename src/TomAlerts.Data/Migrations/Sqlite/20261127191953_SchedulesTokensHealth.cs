using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "NewAlertCount",
                table: "QueryRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Scheduled",
                table: "QueryRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "AutoCreateTargets",
                table: "BrokerQueries",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "NotifyEmail",
                table: "BrokerQueries",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ScheduleCron",
                table: "BrokerQueries",
                type: "TEXT",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ScheduleMinutes",
                table: "BrokerQueries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SchedulePaused",
                table: "BrokerQueries",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "WebhookSecret",
                table: "BrokerQueries",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WebhookUrl",
                table: "BrokerQueries",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastUsed = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Revoked = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Broker = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DurationMs = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: true),
                    Succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RateLimitRemaining = table.Column<int>(type: "INTEGER", nullable: true)
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

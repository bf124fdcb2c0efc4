using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Triage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Band",
                table: "RunAlerts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClassificationsJson",
                table: "RunAlerts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DetailsFetched",
                table: "RunAlerts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Detections",
                table: "RunAlerts",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstDetection",
                table: "RunAlerts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastDetection",
                table: "RunAlerts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RunAlertKeys",
                columns: table => new
                {
                    QueryRunId = table.Column<long>(type: "bigint", nullable: false),
                    AlertId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunAlertKeys", x => new { x.QueryRunId, x.AlertId, x.Key });
                    table.ForeignKey(
                        name: "FK_RunAlertKeys_QueryRuns_QueryRunId",
                        column: x => x.QueryRunId,
                        principalTable: "QueryRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TriageDecisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Broker = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    AlertId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Verdict = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "text", nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TriageDecisions_AspNetUsers_DecidedBy",
                        column: x => x.DecidedBy,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TriageDecisions_Broker_AlertId",
                table: "TriageDecisions",
                columns: new[] { "Broker", "AlertId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TriageDecisions_DecidedBy",
                table: "TriageDecisions",
                column: "DecidedBy");

            // Alerts stored before this migration: their names' fuzzy keys (TOM's lower case without spaces, dashes,
            // underscores and parentheses), so "not yet a target" and the target sort hold for old runs too. New alerts also
            // get the TNS and LSST forms of their names when stored.
            migrationBuilder.Sql(@"INSERT INTO ""RunAlertKeys"" (""QueryRunId"", ""AlertId"", ""Key"") SELECT * FROM (SELECT ""QueryRunId"", ""AlertId"", substr(lower(replace(replace(replace(replace(replace(""Name"", ' ', ''), '-', ''), '_', ''), '(', ''), ')', '')), 1, 100) AS ""Key"" FROM ""RunAlerts"" UNION SELECT ""QueryRunId"", ""AlertId"", substr(lower(replace(replace(replace(replace(replace(""AlertId"", ' ', ''), '-', ''), '_', ''), '(', ''), ')', '')), 1, 100) AS ""Key"" FROM ""RunAlerts"") AS k WHERE k.""Key"" <> '' ON CONFLICT DO NOTHING;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunAlertKeys");

            migrationBuilder.DropTable(
                name: "TriageDecisions");

            migrationBuilder.DropColumn(
                name: "Band",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "ClassificationsJson",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "DetailsFetched",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "Detections",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "FirstDetection",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "LastDetection",
                table: "RunAlerts");
        }
    }
}

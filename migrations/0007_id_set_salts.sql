CREATE TABLE "id_set_salts" (
	"salt" text PRIMARY KEY NOT NULL,
	"licence_id" uuid NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"query_id" uuid
);
--> statement-breakpoint
ALTER TABLE "id_set_salts" ADD CONSTRAINT "id_set_salts_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "id_set_salts_licence_idx" ON "id_set_salts" USING btree ("licence_id","query_id");
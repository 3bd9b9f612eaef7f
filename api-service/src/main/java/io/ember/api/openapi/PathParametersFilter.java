package io.ember.api.openapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Declares every path template's parameter that an operation does not take as a method argument
 * ({@code project_id}: the caller's project comes from the token and is checked by a filter), so
 * the document is valid OpenAPI and a generated client can fill in the URL.
 */
public class PathParametersFilter implements OASFilter {

  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "project_id", "The project; it must be the token's unless the caller is an admin.",
          "id", "The id (UUID) of the resource.",
          "target", "The project whose quotas are shown or changed.");

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    openAPI.getPaths().getPathItems().forEach(this::declareMissing);
  }

  private void declareMissing(String path, PathItem item) {
    List<String> templated = new ArrayList<>();
    Matcher m = TEMPLATE.matcher(path);
    while (m.find()) {
      templated.add(m.group(1));
    }
    Set<String> onItem = pathParameterNames(item.getParameters());
    for (Operation operation : item.getOperations().values()) {
      Set<String> declared = pathParameterNames(operation.getParameters());
      declared.addAll(onItem);
      for (String name : templated) {
        if (!declared.contains(name)) {
          operation.addParameter(pathParameter(name));
        }
      }
    }
  }

  private static Set<String> pathParameterNames(List<Parameter> parameters) {
    Set<String> names = new HashSet<>();
    if (parameters != null) {
      for (Parameter p : parameters) {
        if (p.getIn() == Parameter.In.PATH) {
          names.add(p.getName());
        }
      }
    }
    return names;
  }

  private static Parameter pathParameter(String name) {
    return OASFactory.createParameter()
        .name(name)
        .in(Parameter.In.PATH)
        .required(true)
        .description(DESCRIPTIONS.get(name))
        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
  }
}
